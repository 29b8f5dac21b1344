-- Deadlines and the measures of the review loop (H2 and PostgreSQL).

-- The SLA sweep's scan: cases not closed (one range per status) due before a time; also the count
-- of cases open past their due time.
CREATE INDEX cases_status_due ON cases (status, due_at_millis);

-- Breaches in a period (the measures), and the sweep's check that every recent breach was escalated.
CREATE INDEX cases_sla_breached ON cases (sla_breached_at_millis);

-- The daily interception review: one row per day whose review was handed to the mailer, claimed
-- before sending, so that a restart or a second node never sends a day twice.
CREATE TABLE case_daily_reviews (
  review_date          VARCHAR(10)   NOT NULL PRIMARY KEY,
  sent_at_millis       BIGINT        NOT NULL
);
