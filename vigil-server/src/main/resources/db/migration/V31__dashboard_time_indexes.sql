-- The console's dashboard (runs on H2 and PostgreSQL; on PostgreSQL the journal is partitioned by
-- month of recorded_at_millis and the index is made on every partition, present and future).
--
-- The dashboard counts decisions per minute by the time they were decided (recorded_at), not by the
-- time the event says it happened: it fills its in-memory counters for the days before the server
-- started from the journal, one hour at a time. This index answers that hour's counts by action and
-- score, and the hour's first and last sequence, from the index alone.
CREATE INDEX decisions_recorded_action_score ON decisions (recorded_at_millis, action, score, sequence);

-- The rules that fired in a range of sequences (the rules of that hour), read in sequence order;
-- decision_rules' primary key starts with the rule id and serves one rule's decisions instead.
-- Sequences grow, so the index is appended to, not written at random places.
CREATE INDEX decision_rules_sequence ON decision_rules (sequence, rule_id);
