-- Account restrictions (D3, P5): freezes, holder locks, no withdrawals, no transfers out.
-- Rows are never deleted: lifting one sets lifted_at_millis, so the table is also their history.
CREATE TABLE account_restrictions (
  restriction_id       VARCHAR(40)   NOT NULL PRIMARY KEY,
  account_id           VARCHAR(128)  NOT NULL,
  kind                 VARCHAR(32)   NOT NULL,
  source               VARCHAR(16)   NOT NULL,
  reason               VARCHAR(1024),
  created_by           VARCHAR(128)  NOT NULL,
  created_at_millis    BIGINT        NOT NULL,
  expires_at_millis    BIGINT        NOT NULL,
  lifted_at_millis     BIGINT        NOT NULL,
  lifted_by            VARCHAR(128),
  lift_reason          VARCHAR(1024),
  verification_method  VARCHAR(32)
);
CREATE INDEX account_restrictions_account ON account_restrictions (account_id, created_at_millis);
