-- Operator accounts: the people who sign in to Vigil. roles is a comma-separated list of role codes
-- (administrator, approver...) in force; a change to it goes through role_changes. The password is a
-- BCrypt hash; the TOTP seed is sealed (AES-256-GCM under the secrets keyset) and base64-encoded.
CREATE TABLE operators (
  username                 VARCHAR(64)   NOT NULL,
  display_name             VARCHAR(128)  NOT NULL,
  roles                    VARCHAR(256)  NOT NULL,
  status                   VARCHAR(16)   NOT NULL,
  password_hash            VARCHAR(100)  NOT NULL,
  must_change_password     BOOLEAN       NOT NULL,
  totp_seed_sealed         VARCHAR(512),
  mfa_enabled              BOOLEAN       NOT NULL,
  totp_last_step           BIGINT        NOT NULL,
  failed_logins            INTEGER       NOT NULL,
  first_failure_at_millis  BIGINT        NOT NULL,
  lockouts                 INTEGER       NOT NULL,
  locked_until_millis      BIGINT        NOT NULL,
  created_at_millis        BIGINT        NOT NULL,
  updated_at_millis        BIGINT        NOT NULL,
  CONSTRAINT operators_pk PRIMARY KEY (username)
);
