-- The operator console's approvals inbox and model comparison read bounded, indexed slices.
-- Held decisions, newest first: the inbox walks (action, sequence) backwards from the newest HOLD
-- and stops at its page size, whatever the size of the journal (HOLDs are a small share of it).
-- PostgreSQL's partitioned journal has this index already (V15, with event_type after sequence);
-- the embedded store gets it here.
CREATE INDEX IF NOT EXISTS decisions_action_sequence ON decisions (action, sequence);

-- The decisions a shadow model scored, newest first: the models screen compares the live and the
-- shadow model's probabilities over the latest few hundred of them.
CREATE INDEX decision_features_challenger ON decision_features (challenger_id, sequence);
