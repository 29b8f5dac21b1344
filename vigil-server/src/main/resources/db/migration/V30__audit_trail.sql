-- The audit trail: every operator action, key administration, login and denied attempt, hash-chained
-- like the decision journal (io.vigil.server.audit.AuditHash). Append-only; times are epoch milliseconds.
-- source_ip is sealed (AEAD, Base64); the hash covers the stored text, so verifying needs no key.
CREATE TABLE audit_trail (
  seq                 BIGINT        NOT NULL PRIMARY KEY,
  at_millis           BIGINT        NOT NULL,
  actor_kind          VARCHAR(16)   NOT NULL,
  actor_id            VARCHAR(128)  NOT NULL,
  claimed_id          VARCHAR(128),
  source_ip           VARCHAR(256),
  user_agent          VARCHAR(256),
  method              VARCHAR(8)    NOT NULL,
  route               VARCHAR(256)  NOT NULL,
  entity_type         VARCHAR(32),
  entity_id           VARCHAR(255),
  path_params         VARCHAR(2048),
  action              VARCHAR(64)   NOT NULL,
  before_json         VARCHAR(40000),
  after_json          VARCHAR(40000),
  status              INTEGER       NOT NULL,
  error_code          VARCHAR(64),
  prev_hash           VARCHAR(64)   NOT NULL,
  hash                VARCHAR(64)   NOT NULL
);
CREATE INDEX audit_trail_time ON audit_trail (at_millis);
CREATE INDEX audit_trail_actor ON audit_trail (actor_id, seq);
CREATE INDEX audit_trail_claimed ON audit_trail (claimed_id, seq);
CREATE INDEX audit_trail_entity ON audit_trail (entity_type, entity_id, seq);

-- The head of the chain: one row, locked (SELECT ... FOR UPDATE) by each append, so appends from any
-- number of threads or processes are strictly ordered. Not trusted by verification: only a lock.
CREATE TABLE audit_head (
  id                  INTEGER       NOT NULL PRIMARY KEY,
  seq                 BIGINT        NOT NULL,
  hash                VARCHAR(64)   NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
