-- One-time recovery codes of operators' second factor: SHA-256 of the code (the codes are random,
-- 80 bits each, so a fast hash is enough), and when each was used (0: not yet).
CREATE TABLE operator_recovery_codes (
  username          VARCHAR(64)   NOT NULL,
  code_hash         VARCHAR(64)   NOT NULL,
  used_at_millis    BIGINT        NOT NULL,
  CONSTRAINT operator_recovery_codes_pk PRIMARY KEY (username, code_hash)
);
