-- The audit trail's search by action (the console's Audit trail screen, GET /v1/audit?action=…):
-- newest first under an equality filter, so the index puts seq right after the action, as the actor
-- and entity indexes do. Without it a rare action is found by walking the whole trail backwards.
CREATE INDEX audit_trail_action ON audit_trail (action, seq);
