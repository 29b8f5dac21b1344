-- The learning loop (D4, D5, P3).

-- Outcomes fed back per decided event: fraud or legitimate, chargebacks, authorization outcomes,
-- reviewer verdicts, appeals. known_at_millis is when the truth became known (point in time).
CREATE TABLE feedback_labels (
  label_id             VARCHAR(255)  NOT NULL PRIMARY KEY,
  decision_id          VARCHAR(40)   NOT NULL,
  event_id             VARCHAR(255)  NOT NULL,
  kind                 VARCHAR(32)   NOT NULL,
  verdict              VARCHAR(16)   NOT NULL,
  reason_code          VARCHAR(32),
  outcome              VARCHAR(16),
  account_id           VARCHAR(128),
  merchant_id          VARCHAR(128),
  event_at_millis      BIGINT        NOT NULL,
  known_at_millis      BIGINT        NOT NULL,
  recorded_at_millis   BIGINT        NOT NULL,
  recorded_by          VARCHAR(128)  NOT NULL
);
CREATE INDEX feedback_labels_decision ON feedback_labels (decision_id);
CREATE INDEX feedback_labels_known ON feedback_labels (known_at_millis);

-- The model feature vector of every decided money movement, written in the decision's
-- transaction: training uses exactly what the engine saw. Values are comma-separated, in the
-- order of the schema (e.g. vigil.payment@1).
CREATE TABLE decision_features (
  sequence              BIGINT        NOT NULL PRIMARY KEY,
  decision_id           VARCHAR(40)   NOT NULL,
  event_id              VARCHAR(255)  NOT NULL,
  account_id            VARCHAR(128),
  occurred_at_millis    BIGINT        NOT NULL,
  schema_id             VARCHAR(64)   NOT NULL,
  features              VARCHAR(8000) NOT NULL,
  model_id              VARCHAR(128),
  probability           DOUBLE PRECISION,
  challenger_id         VARCHAR(128),
  challenger_probability DOUBLE PRECISION
);
CREATE INDEX decision_features_time ON decision_features (occurred_at_millis);

-- Model artifacts (LightGBM text or ONNX), versioned, with their metadata and metrics. The body
-- is stored in chunks of text so that one schema serves H2 and PostgreSQL.
CREATE TABLE models (
  model_id             VARCHAR(128)  NOT NULL PRIMARY KEY,
  format               VARCHAR(32)   NOT NULL,
  metadata             VARCHAR(100000) NOT NULL,
  role                 VARCHAR(16)   NOT NULL,
  created_at_millis    BIGINT        NOT NULL,
  created_by           VARCHAR(128)  NOT NULL
);
CREATE TABLE model_chunks (
  model_id             VARCHAR(128)  NOT NULL,
  chunk                INTEGER       NOT NULL,
  body                 VARCHAR(1000000) NOT NULL,
  PRIMARY KEY (model_id, chunk)
);
