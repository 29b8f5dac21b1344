-- A hold rejected by a person (P2): the payment is refused (DENY) at once instead of waiting for
-- the deadline. One rejection per held decision (the primary key refuses a second); who rejected
-- it, when, why, and the caller that recorded it.
CREATE TABLE hold_rejections (
  decision_id          VARCHAR(40)   NOT NULL PRIMARY KEY,
  rejected_by          VARCHAR(128)  NOT NULL,
  rejected_at_millis   BIGINT        NOT NULL,
  reason               VARCHAR(1024),
  recorded_by          VARCHAR(128)  NOT NULL
);
