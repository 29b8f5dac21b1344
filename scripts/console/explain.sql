-- The search queries behind the console's pages on a large journal, as the server's repositories
-- write them (JournalRepository.query: ORDER BY sequence DESC LIMIT page+1; AuditRepository.query),
-- with EXPLAIN (ANALYZE, BUFFERS). psql variables: account, decision, rule, now_ms.
\echo '== decisions, newest page, no filter'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT sequence, decision_id, action FROM decisions ORDER BY sequence DESC LIMIT 51;
\echo '== decisions of the busiest account, newest page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM decisions WHERE account_id = :'account' ORDER BY sequence DESC LIMIT 51;
\echo '== decisions of an account in the last 7 days'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM decisions WHERE account_id = :'account'
  AND occurred_at_millis >= :now_ms - 604800000 AND occurred_at_millis < :now_ms ORDER BY sequence DESC LIMIT 51;
\echo '== decisions with action DENY, newest page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM decisions WHERE action = 'DENY' ORDER BY sequence DESC LIMIT 51;
\echo '== holds (action HOLD), newest page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM decisions WHERE action = 'HOLD' ORDER BY sequence DESC LIMIT 51;
\echo '== decisions naming a rule, newest page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM decisions WHERE sequence IN (SELECT sequence FROM decision_rules WHERE rule_id = :'rule')
  ORDER BY sequence DESC LIMIT 51;
\echo '== one decision by id'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM decisions WHERE decision_id = :'decision';
\echo '== audit trail, newest page of one action'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM audit_trail WHERE action = 'operator.create' ORDER BY seq DESC LIMIT 51;
\echo '== audit trail, newest page of one actor'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM audit_trail WHERE (actor_id = 'bench.console' OR claimed_id = 'bench.console')
  ORDER BY seq DESC LIMIT 51;
