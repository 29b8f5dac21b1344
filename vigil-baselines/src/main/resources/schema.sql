CREATE TABLE IF NOT EXISTS naive_events (
  event_id VARCHAR(64) PRIMARY KEY,
  type VARCHAR(32) NOT NULL,
  account_id VARCHAR(64),
  amount_minor BIGINT NOT NULL,
  currency VARCHAR(3),
  device_id VARCHAR(64),
  ip VARCHAR(45),
  merchant_id VARCHAR(64),
  occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS naive_events_account ON naive_events (account_id, occurred_at);
CREATE INDEX IF NOT EXISTS naive_events_device ON naive_events (device_id, occurred_at);
CREATE INDEX IF NOT EXISTS naive_events_ip ON naive_events (ip, occurred_at);
CREATE TABLE IF NOT EXISTS naive_decisions (
  event_id VARCHAR(64) PRIMARY KEY,
  account_id VARCHAR(64),
  action VARCHAR(16) NOT NULL,
  score INT NOT NULL,
  rules TEXT NOT NULL
);
