-- One-time sealing of rows stored in plaintext before personal-data protection (ListSealing): a row
-- here says the step is done, so a start does not scan the list audit trail again.
CREATE TABLE personal_data_sealing_done (
  step                 VARCHAR(64)   NOT NULL PRIMARY KEY,
  done_at_millis       BIGINT        NOT NULL,
  rows_sealed          BIGINT        NOT NULL
);
