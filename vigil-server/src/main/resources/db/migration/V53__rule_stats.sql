-- Per-rule statistics: daily roll-ups fed from the committed journal, off the decision path, by a
-- reader that keeps its place in rule_stats_cursor. A batch's counts and the cursor's advance are
-- written in one transaction, so a restart neither misses a decision nor counts one twice. Days are
-- UTC days (epoch day) of the decision's recorded_at. Labels and case verdicts arrive later and are
-- not rolled up: a query joins them to the journal's rule index (decision_rules) for its range.

-- The reader's place: the last journal sequence counted (one row, name 'journal').
CREATE TABLE rule_stats_cursor (
  name                 VARCHAR(32)   NOT NULL PRIMARY KEY,
  sequence             BIGINT        NOT NULL
);

-- Decisions per day and event type, and the day's first and last sequence: the fire rate's
-- denominator, and the sequence range a query of days reads the rule index with.
CREATE TABLE rule_stats_decisions (
  epoch_day            INT           NOT NULL,
  event_type           VARCHAR(64)   NOT NULL,
  decision_count       BIGINT        NOT NULL,
  sequence_min         BIGINT        NOT NULL,
  sequence_max         BIGINT        NOT NULL,
  PRIMARY KEY (epoch_day, event_type)
);

-- A rule's fires per day, and those of them that were intercepted (action other than ALLOW).
CREATE TABLE rule_stats_days (
  rule_id              VARCHAR(200)  NOT NULL,
  epoch_day            INT           NOT NULL,
  fires                BIGINT        NOT NULL,
  intercepted          BIGINT        NOT NULL,
  without_account      BIGINT        NOT NULL,
  PRIMARY KEY (rule_id, epoch_day)
);
CREATE INDEX rule_stats_days_day ON rule_stats_days (epoch_day, rule_id);

-- A rule's fires per day and account: distinct accounts and repeats over any range of days.
CREATE TABLE rule_stats_accounts (
  rule_id              VARCHAR(200)  NOT NULL,
  epoch_day            INT           NOT NULL,
  account_id           VARCHAR(128)  NOT NULL,
  fires                BIGINT        NOT NULL,
  PRIMARY KEY (rule_id, epoch_day, account_id)
);

-- Decisions per day on which two rules fired together (both directions are stored).
CREATE TABLE rule_stats_pairs (
  rule_id              VARCHAR(200)  NOT NULL,
  epoch_day            INT           NOT NULL,
  other_rule_id        VARCHAR(200)  NOT NULL,
  fires                BIGINT        NOT NULL,
  PRIMARY KEY (rule_id, epoch_day, other_rule_id)
);

INSERT INTO rule_stats_cursor (name, sequence) VALUES ('journal', 0);
