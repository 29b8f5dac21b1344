-- Verdicts and what they do, customers' appeals, and reopening a case with a second person's approval.

-- A reviewer's release of a held payment, given with a case verdict (legitimate): the hold is
-- approved by it, whatever approvals it still waited for. Taken only while the hold is pending;
-- the key refuses a second release.
CREATE TABLE hold_releases (
  decision_id          VARCHAR(40)   NOT NULL PRIMARY KEY,
  released_by          VARCHAR(128)  NOT NULL,
  released_at_millis   BIGINT        NOT NULL,
  case_id              VARCHAR(40)   NOT NULL,
  reason               VARCHAR(1024),
  recorded_by          VARCHAR(128)  NOT NULL
);

-- One closing of a case with a verdict, stored in the transaction that closes the case, with the
-- effects the reviewer asked for. applied_at_millis stays null until every effect is applied; the
-- re-applier finishes those (after a crash, or an effect that failed).
CREATE TABLE case_verdicts (
  verdict_id           VARCHAR(80)   NOT NULL PRIMARY KEY,
  case_id              VARCHAR(40)   NOT NULL,
  verdict              VARCHAR(32)   NOT NULL,
  reason_code          VARCHAR(64)   NOT NULL,
  reviewer_id          VARCHAR(128)  NOT NULL,
  hold_choice          VARCHAR(16)   NOT NULL,
  restrictions_choice  VARCHAR(16)   NOT NULL,
  decided_at_millis    BIGINT        NOT NULL,
  applied_at_millis    BIGINT
);
CREATE INDEX case_verdicts_case ON case_verdicts (case_id, decided_at_millis);
CREATE INDEX case_verdicts_unapplied ON case_verdicts (applied_at_millis, decided_at_millis);

-- The effects of a verdict, one row each, in the order they are applied. target: the decision,
-- account or list entry it acts on; detail_json: what the effect needs (a list entry's fields).
CREATE TABLE case_verdict_effects (
  verdict_id           VARCHAR(80)   NOT NULL,
  seq                  INT           NOT NULL,
  kind                 VARCHAR(32)   NOT NULL,
  target               VARCHAR(256)  NOT NULL,
  detail_json          VARCHAR(4000) NOT NULL,
  applied_at_millis    BIGINT,
  result_json          VARCHAR(4000),
  attempts             INT           NOT NULL,
  last_error           VARCHAR(1000),
  PRIMARY KEY (verdict_id, seq)
);

-- Customers' appeals of denied decisions, received from payment systems; idempotent on appeal_id.
CREATE TABLE case_appeals (
  appeal_id            VARCHAR(128)  NOT NULL PRIMARY KEY,
  decision_id          VARCHAR(40)   NOT NULL,
  reason               VARCHAR(1000) NOT NULL,
  channel              VARCHAR(32)   NOT NULL,
  case_id              VARCHAR(40)   NOT NULL,
  status               VARCHAR(32)   NOT NULL,
  reopen_request_id    VARCHAR(40),
  received_at_millis   BIGINT        NOT NULL,
  received_by          VARCHAR(128)  NOT NULL
);
CREATE INDEX case_appeals_decision ON case_appeals (decision_id);

-- Requests to reopen a closed case; a second person (not the requester) approves one while it is
-- pending and not older than its expiry. status: pending, approved.
CREATE TABLE case_reopen_requests (
  request_id           VARCHAR(40)   NOT NULL PRIMARY KEY,
  case_id              VARCHAR(40)   NOT NULL,
  reason               VARCHAR(1000) NOT NULL,
  requested_by         VARCHAR(128)  NOT NULL,
  requested_at_millis  BIGINT        NOT NULL,
  expires_at_millis    BIGINT        NOT NULL,
  appeal_id            VARCHAR(128),
  status               VARCHAR(16)   NOT NULL,
  approved_by          VARCHAR(128),
  approved_at_millis   BIGINT
);
CREATE INDEX case_reopen_requests_case ON case_reopen_requests (case_id, requested_at_millis);
