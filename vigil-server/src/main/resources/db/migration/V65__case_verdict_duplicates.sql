-- A case closed as a duplicate of another: its verdict (inconclusive, reason duplicate) names the
-- case it duplicates, whose verdict then settles the decisions waiting for review in both. Null for
-- every other verdict.
ALTER TABLE case_verdicts ADD COLUMN duplicate_of VARCHAR(40);
CREATE INDEX case_verdicts_duplicate_of ON case_verdicts (duplicate_of);
