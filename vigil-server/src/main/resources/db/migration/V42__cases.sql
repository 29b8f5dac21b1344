-- Cases: the review loop. A case groups the decisions a person must look at (a REVIEW, a HOLD, a
-- failed challenge, a sampled decision, an appeal), sits in a queue, has an owner, a deadline and
-- an append-only timeline. Opening is idempotent on (decision, origin), so the opener that reads
-- the committed journal may run a row twice (after a restart) and still opens one case.

-- Queues, in routing order (position). routing_json: the list of match rules that send a case here.
CREATE TABLE case_queues (
  queue_id             VARCHAR(64)   NOT NULL PRIMARY KEY,
  name                 VARCHAR(200)  NOT NULL,
  position             INT           NOT NULL,
  deadline_millis      BIGINT        NOT NULL,
  warning_millis       BIGINT        NOT NULL,
  escalation_queue_id  VARCHAR(64),
  auto_assign          BOOLEAN       NOT NULL,
  reviewer_cap         INT           NOT NULL,
  routing_json         VARCHAR(20000) NOT NULL,
  updated_at_millis    BIGINT        NOT NULL,
  updated_by           VARCHAR(128)  NOT NULL
);

-- Who works a queue.
CREATE TABLE case_queue_members (
  queue_id             VARCHAR(64)   NOT NULL,
  operator_id          VARCHAR(128)  NOT NULL,
  PRIMARY KEY (queue_id, operator_id)
);

-- A reviewer's availability: away reviewers get no automatic assignments.
CREATE TABLE case_reviewers (
  operator_id          VARCHAR(128)  NOT NULL PRIMARY KEY,
  away                 BOOLEAN       NOT NULL,
  changed_at_millis    BIGINT        NOT NULL,
  changed_by           VARCHAR(128)  NOT NULL
);

CREATE TABLE cases (
  case_id                 VARCHAR(40)   NOT NULL PRIMARY KEY,
  account_id              VARCHAR(128),
  queue_id                VARCHAR(64)   NOT NULL,
  status                  VARCHAR(32)   NOT NULL,
  priority                INT           NOT NULL,
  origin                  VARCHAR(32)   NOT NULL,
  assignee_id             VARCHAR(128),
  opened_at_millis        BIGINT        NOT NULL,
  intercepted_at_millis   BIGINT        NOT NULL,
  due_at_millis           BIGINT        NOT NULL,
  sla_warned_at_millis    BIGINT,
  sla_breached_at_millis  BIGINT,
  closed_at_millis        BIGINT,
  verdict                 VARCHAR(32),
  reason_code             VARCHAR(64),
  closed_by               VARCHAR(128),
  version                 BIGINT        NOT NULL,
  updated_at_millis       BIGINT        NOT NULL
);
CREATE INDEX cases_waiting ON cases (queue_id, status, priority, due_at_millis);
CREATE INDEX cases_account ON cases (account_id, status);
CREATE INDEX cases_assignee ON cases (assignee_id, status);
CREATE INDEX cases_opened ON cases (opened_at_millis);

-- The decisions of a case and why each joined it; the key makes opening idempotent.
CREATE TABLE case_decisions (
  decision_id          VARCHAR(40)   NOT NULL,
  origin               VARCHAR(32)   NOT NULL,
  case_id              VARCHAR(40)   NOT NULL,
  added_at_millis      BIGINT        NOT NULL,
  PRIMARY KEY (decision_id, origin)
);
CREATE INDEX case_decisions_case ON case_decisions (case_id);

-- The entities a case concerns (accounts, merchants, devices ...), for search and the console.
CREATE TABLE case_entities (
  case_id              VARCHAR(40)   NOT NULL,
  entity_type          VARCHAR(32)   NOT NULL,
  entity_value         VARCHAR(256)  NOT NULL,
  PRIMARY KEY (case_id, entity_type, entity_value)
);
CREATE INDEX case_entities_value ON case_entities (entity_type, entity_value);

-- The append-only timeline: every change to a case, who caused it and when.
CREATE TABLE case_events (
  case_id              VARCHAR(40)   NOT NULL,
  seq                  INT           NOT NULL,
  at_millis            BIGINT        NOT NULL,
  actor                VARCHAR(128)  NOT NULL,
  kind                 VARCHAR(40)   NOT NULL,
  detail_json          VARCHAR(40000) NOT NULL,
  PRIMARY KEY (case_id, seq)
);

-- Files attached by reviewers: bounded in size and type, stored in the database with their digest.
CREATE TABLE case_attachments (
  attachment_id        VARCHAR(40)   NOT NULL PRIMARY KEY,
  case_id              VARCHAR(40)   NOT NULL,
  file_name            VARCHAR(255)  NOT NULL,
  media_type           VARCHAR(100)  NOT NULL,
  size_bytes           BIGINT        NOT NULL,
  sha256               VARCHAR(64)   NOT NULL,
  content              BYTEA         NOT NULL,
  added_by             VARCHAR(128)  NOT NULL,
  added_at_millis      BIGINT        NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id);

-- How far the case opener has read the committed journal.
CREATE TABLE case_cursor (
  name                 VARCHAR(64)   NOT NULL PRIMARY KEY,
  sequence             BIGINT        NOT NULL
);

-- The case opener's scans of failed challenges and reversal requests answered "review".
CREATE INDEX challenge_results_outcome ON challenge_results (result, recorded_at_millis);
CREATE INDEX reversal_requests_outcome ON reversal_requests (outcome, requested_at_millis);
