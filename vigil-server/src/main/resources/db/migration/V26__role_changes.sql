-- Requests to change an operator's roles. A change takes effect only when a second administrator
-- approves it (status pending -> approved or rejected). sole_administrator marks a change approved
-- by its proposer while the proposer was the store's only active administrator.
CREATE TABLE role_changes (
  id                   VARCHAR(40)   NOT NULL,
  username             VARCHAR(64)   NOT NULL,
  roles                VARCHAR(256)  NOT NULL,
  reason               VARCHAR(512)  NOT NULL,
  proposed_by          VARCHAR(128)  NOT NULL,
  proposed_at_millis   BIGINT        NOT NULL,
  status               VARCHAR(16)   NOT NULL,
  decided_by           VARCHAR(128),
  decided_at_millis    BIGINT        NOT NULL,
  sole_administrator   BOOLEAN       NOT NULL,
  CONSTRAINT role_changes_pk PRIMARY KEY (id)
);
CREATE INDEX role_changes_status ON role_changes (status, proposed_at_millis);
