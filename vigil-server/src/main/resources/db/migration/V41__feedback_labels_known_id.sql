-- The console's dashboard reads the newest labels with a verdict, ORDER BY known_at_millis DESC,
-- label_id DESC with a LIMIT: this index answers that order by a backward scan and stops at the
-- limit, where the index on known_at_millis alone (V9) left the rows of one millisecond to be sorted.
CREATE INDEX feedback_labels_known_id ON feedback_labels (known_at_millis, label_id);
