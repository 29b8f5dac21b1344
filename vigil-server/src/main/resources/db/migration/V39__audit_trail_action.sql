-- The audit trail's search by action (the console's Audit trail screen, GET /v1/audit?action=…):
-- newest first under an equality filter, so the index puts seq right after the action, as the actor
-- and entity indexes do. Without it a rare action is found by walking the whole trail backwards.
-- (IF NOT EXISTS: a benchmark schema may have been given it by hand before the server next started.)
CREATE INDEX IF NOT EXISTS audit_trail_action ON audit_trail (action, seq);
