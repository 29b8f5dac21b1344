-- API keys of payment systems. The secret is sealed with the secrets keyset (AES-256-GCM, associated
-- data = key id); during a rotation the previous secret stays valid until previous_valid_until_millis.
-- A destroyed key keeps its row, without secret material, as a record.
CREATE TABLE api_keys (
  key_id                        VARCHAR(80)   NOT NULL PRIMARY KEY,
  owner                         VARCHAR(128)  NOT NULL,
  scopes                        VARCHAR(200)  NOT NULL,
  status                        VARCHAR(16)   NOT NULL,
  created_at_millis             BIGINT        NOT NULL,
  created_by                    VARCHAR(128)  NOT NULL,
  expires_at_millis             BIGINT,
  secret_sealed                 VARCHAR(1000),
  previous_secret_sealed        VARCHAR(1000),
  previous_valid_until_millis   BIGINT,
  rotated_at_millis             BIGINT,
  revoked_at_millis             BIGINT,
  destroyed_at_millis           BIGINT
);

-- Every step of a key's life: issued, rotated, revoked, destroyed; who did it and when.
CREATE TABLE api_key_events (
  event_id     VARCHAR(40)   NOT NULL PRIMARY KEY,
  key_id       VARCHAR(80)   NOT NULL,
  action       VARCHAR(16)   NOT NULL,
  actor        VARCHAR(128)  NOT NULL,
  at_millis    BIGINT        NOT NULL,
  detail       VARCHAR(400)
);
CREATE INDEX api_key_events_key ON api_key_events (key_id, at_millis);
