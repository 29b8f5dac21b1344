-- Change requests (maker-checker): a proposed configuration of one kind (policy, lists_bulk,
-- reference_reload, model_promotion, ...) drafted against the live version base_version, that
-- goes live only once a second operator approves it. Emergency changes are rows created already
-- live with review_required set until a second person reviews them.
CREATE TABLE change_requests (
  id                   VARCHAR(40)       NOT NULL,
  kind                 VARCHAR(40)       NOT NULL,
  author               VARCHAR(128)      NOT NULL,
  reason               VARCHAR(1024)     NOT NULL,
  proposed             VARCHAR(2000000)  NOT NULL,
  difference           VARCHAR(2000000)  NOT NULL,
  base_version         BIGINT            NOT NULL,
  status               VARCHAR(16)       NOT NULL,
  created_at_millis    BIGINT            NOT NULL,
  expires_at_millis    BIGINT            NOT NULL,
  decided_by           VARCHAR(128),
  decided_at_millis    BIGINT,
  go_live_at_millis    BIGINT,
  release_id           VARCHAR(64),
  live_version         BIGINT,
  emergency            BOOLEAN           NOT NULL,
  review_required      BOOLEAN           NOT NULL,
  reviewed_by          VARCHAR(128),
  reviewed_at_millis   BIGINT,
  rollback_to_version  BIGINT,
  CONSTRAINT change_requests_pk PRIMARY KEY (id)
);
CREATE INDEX change_requests_status ON change_requests (status, created_at_millis);
CREATE INDEX change_requests_due ON change_requests (status, go_live_at_millis);

-- What happened to each change request, append-only and kept forever: created, approved,
-- rejected, withdrawn, expired, rebased, conflict, live, reviewed.
CREATE TABLE change_request_events (
  change_id            VARCHAR(40)       NOT NULL,
  seq                  INT               NOT NULL,
  at_millis            BIGINT            NOT NULL,
  actor                VARCHAR(128)      NOT NULL,
  action               VARCHAR(32)       NOT NULL,
  note                 VARCHAR(1024),
  CONSTRAINT change_request_events_pk PRIMARY KEY (change_id, seq),
  CONSTRAINT change_request_events_change FOREIGN KEY (change_id) REFERENCES change_requests (id)
);
