-- Results of CHALLENGE decisions (D2, D3), reported by the payment system: one per decision.
CREATE TABLE challenge_results (
  decision_id          VARCHAR(40)   NOT NULL PRIMARY KEY,
  account_id           VARCHAR(128),
  result               VARCHAR(16)   NOT NULL,
  method               VARCHAR(32),
  recorded_at_millis   BIGINT        NOT NULL,
  recorded_by          VARCHAR(128)  NOT NULL
);
CREATE INDEX challenge_results_account ON challenge_results (account_id, recorded_at_millis);
