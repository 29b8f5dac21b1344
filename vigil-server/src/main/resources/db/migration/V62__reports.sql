-- Regulatory reports: a prepared goAML report (its XML, unsigned until filed), the hash-chained
-- register of filed reports, and the monthly STR schedule's state (one row per reporting month).
CREATE TABLE reports (
  report_id           VARCHAR(64)    NOT NULL PRIMARY KEY,
  report_type         VARCHAR(16)    NOT NULL,
  case_id             VARCHAR(64),
  period_from_millis  BIGINT,
  period_to_millis    BIGINT,
  status              VARCHAR(16)    NOT NULL,
  xml                 TEXT           NOT NULL,
  transactions        INTEGER        NOT NULL,
  prepared_by         VARCHAR(128)   NOT NULL,
  prepared_at_millis  BIGINT         NOT NULL,
  filed_by            VARCHAR(128),
  filed_at_millis     BIGINT,
  digest              VARCHAR(64)
);
CREATE INDEX reports_case ON reports (case_id, prepared_at_millis);

CREATE TABLE report_register (
  seq                 BIGINT         NOT NULL PRIMARY KEY,
  filed_at_millis     BIGINT         NOT NULL,
  filed_by            VARCHAR(128)   NOT NULL,
  report_type         VARCHAR(16)    NOT NULL,
  report_id           VARCHAR(64)    NOT NULL UNIQUE,
  case_id             VARCHAR(64),
  digest              VARCHAR(64)    NOT NULL,
  prev_hash           VARCHAR(64)    NOT NULL,
  hash                VARCHAR(64)    NOT NULL
);

CREATE TABLE report_schedule (
  report_month        VARCHAR(7)     NOT NULL PRIMARY KEY,
  prepared_at_millis  BIGINT,
  cases               INTEGER        NOT NULL DEFAULT 0,
  reminded_at_millis  BIGINT
);
