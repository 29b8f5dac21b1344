-- Rule reviews: a person looked at a rule and decided to keep, change or retire it. Append-only;
-- a rule neither reviewed nor changed within the review period is flagged as needing review.
CREATE TABLE rule_reviews (
  review_id            VARCHAR(40)   NOT NULL PRIMARY KEY,
  rule_id              VARCHAR(200)  NOT NULL,
  outcome              VARCHAR(16)   NOT NULL,
  note                 VARCHAR(2000) NOT NULL,
  reviewed_by          VARCHAR(128)  NOT NULL,
  reviewed_at_millis   BIGINT        NOT NULL,
  policy_version       BIGINT        NOT NULL
);
CREATE INDEX rule_reviews_rule ON rule_reviews (rule_id, reviewed_at_millis);
