-- Personal data at rest (docs/security.md, "Personal data at rest"). Each person (an account, or
-- the merchant of an event without one) has data keys; personal fields are sealed under them and
-- each key is stored wrapped by the master keyset, which lives outside the database. Erasure
-- (crypto-shredding) clears wrapped_key: every value sealed under it becomes unreadable, while the
-- journal rows and their hash chain stay as they were.
CREATE TABLE personal_data_keys (
  key_id               VARCHAR(32)   NOT NULL PRIMARY KEY,
  subject              VARCHAR(200)  NOT NULL,
  wrapped_key          VARCHAR(1000),
  master_key_id        BIGINT        NOT NULL,
  created_at_millis    BIGINT        NOT NULL,
  erased_at_millis     BIGINT        DEFAULT 0 NOT NULL
);
CREATE INDEX personal_data_keys_subject ON personal_data_keys (subject);
CREATE INDEX personal_data_keys_master ON personal_data_keys (master_key_id);

-- Every erasure: who asked, why, when, and how many keys it destroyed.
CREATE TABLE personal_data_erasures (
  erasure_id           VARCHAR(40)   NOT NULL PRIMARY KEY,
  subject              VARCHAR(200)  NOT NULL,
  reason               VARCHAR(1024) NOT NULL,
  erased_by            VARCHAR(128)  NOT NULL,
  erased_at_millis     BIGINT        NOT NULL,
  keys_destroyed       INTEGER       NOT NULL
);
CREATE INDEX personal_data_erasures_subject ON personal_data_erasures (subject);

-- List entries: entry_value holds the keyed hash of the value (equality lookups and the unique
-- constraint keep working on it); the value itself is sealed in entry_value_sealed. Rows written
-- before are sealed at the next start (ListSealing).
ALTER TABLE list_entries ADD COLUMN entry_value_sealed VARCHAR(1024);
