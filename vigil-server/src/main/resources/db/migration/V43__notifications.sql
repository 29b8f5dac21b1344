-- Notifications: webhook endpoints (Standard Webhooks), the webhook delivery log, and the e-mail
-- delivery log. A delivery's id is its webhook-id header, the same on every attempt, so a receiver
-- can drop a repeat. The e-mail log keeps no addresses and no bodies: only what was sent, how many
-- recipients, and how it went.
CREATE TABLE webhook_endpoints (
  endpoint_id                  VARCHAR(40)   NOT NULL PRIMARY KEY,
  url                          VARCHAR(2048) NOT NULL,
  description                  VARCHAR(256),
  event_types                  VARCHAR(512)  NOT NULL,
  enabled                      BOOLEAN       NOT NULL,
  secret_sealed                VARCHAR(512)  NOT NULL,
  previous_secret_sealed       VARCHAR(512),
  previous_valid_until_millis  BIGINT,
  created_by                   VARCHAR(128)  NOT NULL,
  created_at_millis            BIGINT        NOT NULL,
  updated_at_millis            BIGINT        NOT NULL
);

CREATE TABLE webhook_deliveries (
  delivery_id                  VARCHAR(40)   NOT NULL PRIMARY KEY,
  endpoint_id                  VARCHAR(40)   NOT NULL,
  event_type                   VARCHAR(64)   NOT NULL,
  payload                      VARCHAR(70000) NOT NULL,
  status                       VARCHAR(16)   NOT NULL,
  attempts                     INT           NOT NULL,
  next_attempt_at_millis       BIGINT        NOT NULL,
  last_status_code             INT,
  last_error                   VARCHAR(256),
  created_at_millis            BIGINT        NOT NULL,
  delivered_at_millis          BIGINT
);
-- The worker's question: which pending deliveries are due.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at_millis);
-- The delivery log of one endpoint, newest first; and the count of its pending deliveries.
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, status, created_at_millis);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at_millis);

CREATE TABLE email_deliveries (
  delivery_id                  VARCHAR(40)   NOT NULL PRIMARY KEY,
  kind                         VARCHAR(64)   NOT NULL,
  recipients                   INT           NOT NULL,
  subject                      VARCHAR(256)  NOT NULL,
  status                       VARCHAR(16)   NOT NULL,
  attempts                     INT           NOT NULL,
  last_error                   VARCHAR(256),
  created_at_millis            BIGINT        NOT NULL,
  sent_at_millis               BIGINT
);
CREATE INDEX email_deliveries_status ON email_deliveries (status, created_at_millis);
