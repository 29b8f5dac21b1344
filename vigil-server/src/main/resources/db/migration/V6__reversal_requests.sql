-- Reversal requests (P5): every request with its answer, for the audit and for the frequency check.
CREATE TABLE reversal_requests (
  request_id           VARCHAR(40)   NOT NULL PRIMARY KEY,
  decision_id          VARCHAR(40)   NOT NULL,
  account_id           VARCHAR(128),
  outcome              VARCHAR(16)   NOT NULL,
  verification_method  VARCHAR(32),
  reasons              VARCHAR(4000) NOT NULL,
  requested_at_millis  BIGINT        NOT NULL,
  requested_by         VARCHAR(128)  NOT NULL
);
CREATE INDEX reversal_requests_decision ON reversal_requests (decision_id);
CREATE INDEX reversal_requests_account ON reversal_requests (account_id, requested_at_millis);
