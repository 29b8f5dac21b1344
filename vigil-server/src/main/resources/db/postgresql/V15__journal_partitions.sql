-- PostgreSQL only (Storage adds this location for PostgreSQL; the H2 schema stays as migrations 1-14
-- left it). The decision journal becomes a table partitioned by month of recorded_at_millis, so that
-- years of decisions stay queryable and old months can be detached and archived whole (see
-- docs/operations.md, "Keeping the journal for years").
--
-- A partitioned table can only have unique indexes that contain the partition key, so the journal's
-- keys are kept unique by a small unpartitioned table, decision_keys: one row per decision with its
-- sequence (primary key), decision id and event id (unique). A trigger on the journal writes it in
-- the decision's own transaction, so a duplicate event id, decision id or sequence is refused by the
-- database with a unique violation (SQLSTATE 23505), whichever month the first one is stored in.
-- Deleting or changing a journal row keeps the keys in step. Nothing references decisions by a
-- foreign key (the tables that name a decision carry its id as a plain column).

ALTER TABLE decisions RENAME TO decisions_unpartitioned;
ALTER TABLE decisions_unpartitioned RENAME CONSTRAINT decisions_decision_id_unique TO decisions_unpartitioned_decision_id;
ALTER INDEX decisions_account_time RENAME TO decisions_unpartitioned_account_time;
ALTER INDEX decisions_time RENAME TO decisions_unpartitioned_time;
ALTER INDEX decisions_merchant_time RENAME TO decisions_unpartitioned_merchant_time;

CREATE TABLE decisions (
  sequence            BIGINT        NOT NULL,
  decision_id         VARCHAR(40)   NOT NULL,
  event_id            VARCHAR(255)  NOT NULL,
  event_type          VARCHAR(32)   NOT NULL,
  account_id          VARCHAR(128),
  merchant_id         VARCHAR(128),
  occurred_at_millis  BIGINT        NOT NULL,
  recorded_at_millis  BIGINT        NOT NULL,
  action              VARCHAR(16)   NOT NULL,
  score               INTEGER       NOT NULL,
  risk_level          VARCHAR(16)   NOT NULL,
  amount_minor        BIGINT,
  currency            VARCHAR(3),
  policy_version      BIGINT        NOT NULL,
  request_hash        VARCHAR(64)   NOT NULL,
  event_json          VARCHAR(70000)  NOT NULL,
  response_json       VARCHAR(200000) NOT NULL,
  previous_hash       VARCHAR(64)   NOT NULL,
  hash                VARCHAR(64)   NOT NULL
) PARTITION BY RANGE (recorded_at_millis);

-- Rows of a month without a partition (a clock far off, a month the maintenance did not create
-- ahead) land here rather than fail the decision; creating that month's partition moves them.
CREATE TABLE decisions_default PARTITION OF decisions DEFAULT;

-- One row per journal row: the keys that must be unique across all partitions.
CREATE TABLE decision_keys (
  sequence            BIGINT        NOT NULL,
  decision_id         VARCHAR(40)   NOT NULL,
  event_id            VARCHAR(255)  NOT NULL,
  recorded_at_millis  BIGINT        NOT NULL
);

-- The partition of the month (UTC) that contains the given time, created when missing; rows of
-- that month waiting in the default partition move into it. Returns the partition's name. Called
-- by the server at start and daily for the months ahead (JournalPartitions), and by operators.
CREATE FUNCTION vigil_journal_partition(at_millis BIGINT) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  month_start TIMESTAMP := date_trunc('month', to_timestamp(at_millis / 1000.0) AT TIME ZONE 'UTC');
  from_millis BIGINT := (extract(epoch FROM month_start AT TIME ZONE 'UTC') * 1000)::BIGINT;
  to_millis BIGINT := (extract(epoch FROM (month_start + INTERVAL '1 month') AT TIME ZONE 'UTC') * 1000)::BIGINT;
  name TEXT := 'decisions_' || to_char(month_start, 'YYYY_MM');
  parent_schema TEXT;
BEGIN
  SELECT n.nspname INTO parent_schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = 'decisions'::regclass;
  IF to_regclass(quote_ident(parent_schema) || '.' || quote_ident(name)) IS NOT NULL THEN
    RETURN name;
  END IF;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %I.decisions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
    parent_schema, name, parent_schema);
  EXECUTE format('WITH moved AS (DELETE FROM %I.decisions_default WHERE recorded_at_millis >= %s AND recorded_at_millis < %s'
    || ' RETURNING *) INSERT INTO %I.%I SELECT * FROM moved', parent_schema, from_millis, to_millis, parent_schema, name);
  EXECUTE format('ALTER TABLE %I.decisions ATTACH PARTITION %I.%I FOR VALUES FROM (%s) TO (%s)',
    parent_schema, parent_schema, name, from_millis, to_millis);
  -- Deleting from the default partition dropped the moved rows' keys (the keys trigger); the rows
  -- are back, and so are their keys, in this same transaction.
  EXECUTE format('INSERT INTO %I.decision_keys (sequence, decision_id, event_id, recorded_at_millis)'
    || ' SELECT sequence, decision_id, event_id, recorded_at_millis FROM %I.%I', parent_schema, parent_schema, name);
  RETURN name;
END $$;

-- The months from the first row's to the last row's (read by the primary key, not a scan of the
-- journal; a row outside them, after a clock step, goes to the default partition), then the rows.
DO $$
DECLARE
  first_millis BIGINT := (SELECT recorded_at_millis FROM decisions_unpartitioned ORDER BY sequence LIMIT 1);
  last_millis BIGINT := (SELECT recorded_at_millis FROM decisions_unpartitioned ORDER BY sequence DESC LIMIT 1);
  month TIMESTAMP;
BEGIN
  IF first_millis IS NULL THEN
    RETURN;
  END IF;
  month := date_trunc('month', to_timestamp(least(first_millis, last_millis) / 1000.0) AT TIME ZONE 'UTC');
  WHILE month <= to_timestamp(greatest(first_millis, last_millis) / 1000.0) AT TIME ZONE 'UTC' LOOP
    PERFORM vigil_journal_partition((extract(epoch FROM month AT TIME ZONE 'UTC') * 1000)::BIGINT);
    month := month + INTERVAL '1 month';
  END LOOP;
END $$;
INSERT INTO decisions SELECT * FROM decisions_unpartitioned;
DROP TABLE decisions_unpartitioned;

-- The indexes of every partition, present and future. The decisions query (GET /v1/decisions)
-- returns newest first (ORDER BY sequence DESC ... LIMIT) under equality filters, so its indexes put
-- sequence right after the equality column: each partition reads its newest matching rows first and
-- the partitions merge without a sort. The time range (occurred_at) and the event type ride along
-- as the last column, so the index itself rejects the rows outside them without reading the table:
-- on the unpartitioned journal the planner walked the primary key backwards through every newer row
-- of the table to find an account's rows of an older month (see docs/performance.md).
ALTER TABLE decisions ADD CONSTRAINT decisions_pk PRIMARY KEY (sequence, recorded_at_millis);
CREATE INDEX decisions_decision_id ON decisions (decision_id);
CREATE INDEX decisions_account_sequence ON decisions (account_id, sequence, occurred_at_millis);
CREATE INDEX decisions_merchant_sequence ON decisions (merchant_id, sequence, occurred_at_millis);
CREATE INDEX decisions_action_sequence ON decisions (action, sequence, event_type);
CREATE INDEX decisions_time ON decisions (occurred_at_millis);

-- The journal's keys, unique across all partitions (the constraints built once, after the copy).
INSERT INTO decision_keys (sequence, decision_id, event_id, recorded_at_millis)
  SELECT sequence, decision_id, event_id, recorded_at_millis FROM decisions;
ALTER TABLE decision_keys ADD CONSTRAINT decision_keys_pk PRIMARY KEY (sequence);
ALTER TABLE decision_keys ADD CONSTRAINT decision_keys_decision_id_unique UNIQUE (decision_id);
ALTER TABLE decision_keys ADD CONSTRAINT decision_keys_event_id_unique UNIQUE (event_id);

CREATE FUNCTION vigil_decision_keys() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO decision_keys (sequence, decision_id, event_id, recorded_at_millis)
      VALUES (NEW.sequence, NEW.decision_id, NEW.event_id, NEW.recorded_at_millis);
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (NEW.sequence, NEW.decision_id, NEW.event_id, NEW.recorded_at_millis)
        IS DISTINCT FROM (OLD.sequence, OLD.decision_id, OLD.event_id, OLD.recorded_at_millis) THEN
      UPDATE decision_keys SET sequence = NEW.sequence, decision_id = NEW.decision_id, event_id = NEW.event_id,
        recorded_at_millis = NEW.recorded_at_millis WHERE sequence = OLD.sequence;
    END IF;
    RETURN NEW;
  ELSE
    DELETE FROM decision_keys WHERE sequence = OLD.sequence;
    RETURN OLD;
  END IF;
END $$;
CREATE TRIGGER decisions_keys BEFORE INSERT OR UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION vigil_decision_keys();
