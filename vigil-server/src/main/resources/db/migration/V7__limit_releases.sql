-- Limit releases (L3): a refund, reversal, failed authorization or failed challenge gives a payment's
-- reserved amount back to its limits. One per decision; stored before the in-memory ledger changes,
-- and read back at start-up, where the reservations themselves come from the decisions journal.
CREATE TABLE limit_releases (
  decision_id          VARCHAR(40)   NOT NULL PRIMARY KEY,
  event_id             VARCHAR(255)  NOT NULL,
  account_id           VARCHAR(128)  NOT NULL,
  outcome              VARCHAR(32)   NOT NULL,
  released_minor       BIGINT        NOT NULL,
  currency             VARCHAR(3)    NOT NULL,
  reason               VARCHAR(1024),
  released_at_millis   BIGINT        NOT NULL,
  released_by          VARCHAR(128)  NOT NULL
);
CREATE INDEX limit_releases_time ON limit_releases (released_at_millis);
