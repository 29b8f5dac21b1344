-- The reviewer's filters on the decisions query. merchant_id, risk_level, score, amount_minor and
-- currency are columns of decisions already; payments to a merchant get the index accounts have.
CREATE INDEX decisions_merchant_time ON decisions (merchant_id, occurred_at_millis);

-- Which rules gave each decision a reason (rule ids as in reasons[].rule_id: a rule, a list match,
-- a limit, a hold, a restriction, a scorecard, the model): the index behind GET /v1/decisions?rule=….
-- Derived from the journaled response, written in the decision's transaction; V11 fills it for the
-- decisions stored before it existed.
CREATE TABLE decision_rules (
  rule_id              VARCHAR(200)  NOT NULL,
  sequence             BIGINT        NOT NULL,
  CONSTRAINT decision_rules_pk PRIMARY KEY (rule_id, sequence)
);
