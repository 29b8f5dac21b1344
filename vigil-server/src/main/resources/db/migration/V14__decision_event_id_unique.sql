-- Event ids are unique in the journal. The decision sequencer answers a repeated event id from its
-- in-memory index, which holds the ids recorded within the idempotency horizon (7 days by default);
-- this index is what makes a retry after that horizon, or any other path around the sequencer's
-- index, unable to store a second decision for the same event id. It also serves the journal
-- lookup by event id that answers such a retry.
CREATE UNIQUE INDEX decisions_event_id_unique ON decisions (event_id);
