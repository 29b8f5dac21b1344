-- Transaction monitoring over days, off the decision path: the monitor's position in the journal,
-- the versioned scenario configuration (changed only through approved change requests) and the
-- alerts the scenarios raised, with their evidence and the decisions they name.

CREATE TABLE monitoring_cursor (
  name              VARCHAR(32)   NOT NULL PRIMARY KEY,
  sequence          BIGINT        NOT NULL,
  processed_at_millis BIGINT      NOT NULL
);

CREATE TABLE monitoring_scenarios (
  version           BIGINT        NOT NULL PRIMARY KEY,
  configuration_json VARCHAR(20000) NOT NULL,
  actor             VARCHAR(128)  NOT NULL,
  summary           VARCHAR(1024) NOT NULL,
  created_at_millis BIGINT        NOT NULL
);

CREATE TABLE monitoring_alerts (
  alert_id          VARCHAR(40)   NOT NULL PRIMARY KEY,
  scenario_id       VARCHAR(64)   NOT NULL,
  account_id        VARCHAR(128)  NOT NULL,
  status            VARCHAR(16)   NOT NULL,
  scenario_version  BIGINT        NOT NULL,
  summary           VARCHAR(1024) NOT NULL,
  evidence_json     VARCHAR(60000) NOT NULL,
  case_id           VARCHAR(40),
  raised_at_millis  BIGINT        NOT NULL,
  occurred_at_millis BIGINT       NOT NULL,
  last_matched_at_millis BIGINT   NOT NULL,
  repeats           INT           NOT NULL
);
CREATE INDEX monitoring_alerts_account ON monitoring_alerts (account_id, scenario_id, raised_at_millis);
CREATE INDEX monitoring_alerts_raised ON monitoring_alerts (raised_at_millis, alert_id);

CREATE TABLE monitoring_alert_decisions (
  alert_id          VARCHAR(40)   NOT NULL,
  decision_id       VARCHAR(64)   NOT NULL,
  PRIMARY KEY (alert_id, decision_id)
);
CREATE INDEX monitoring_alert_decisions_decision ON monitoring_alert_decisions (decision_id);
