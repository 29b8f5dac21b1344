-- Fills the decisions journal (and its rule index) of a scratch database with synthetic rows for
-- the size measurements in docs/performance.md ("The journal at 50 M rows"). Run by
-- scripts/journal/fill-size-db.sh, one chunk per call:  psql -v from=1 -v to=1000000 -v total=20000000
--
-- Shape: 13 months of recorded time (2025-11-01 .. 2026-12-01 UTC), spread evenly over the
-- sequence; occurred_at mostly within a second before recorded_at, a few late by up to an hour.
-- 2 M accounts and 50 k merchants with a heavy skew (u^3: the busiest account has ~0.8 % of all
-- rows, the busiest merchant ~2.7 % of payments). Types, actions, scores and amounts in plausible
-- proportions; JSON bodies of a realistic size (~250 and ~350 characters). The hashes are random,
-- not a chain: the measurement is of queries, not of verification.
SET synchronous_commit = off;
INSERT INTO decisions (sequence, decision_id, event_id, event_type, account_id, merchant_id, occurred_at_millis,
    recorded_at_millis, action, score, risk_level, amount_minor, currency, policy_version, request_hash, event_json,
    response_json, previous_hash, hash)
SELECT s, decision_id, event_id, event_type, account_id, merchant_id, recorded - late, recorded, action, score,
  CASE WHEN score < 30 THEN 'low' WHEN score < 60 THEN 'medium' WHEN score < 85 THEN 'high' ELSE 'critical' END,
  amount, currency, 1 + s * 40 / :total, md5('q' || s) || md5('r' || s),
  format('{"event_id":"%s","type":"%s","occurred_at":%s,"account":{"id":"%s"},"merchant":{"id":"%s"},"amount":{"minor":%s,"currency":"%s"},"device":{"id":"dev_%s"},"ip":"10.%s.%s.%s"}',
    event_id, event_type, recorded - late, account_id, merchant_id, amount, currency, substr(md5('d' || account_id), 1, 16),
    s % 250, (s / 250) % 250, (s / 62500) % 250),
  format('{"decision_id":"%s","event_id":"%s","action":"%s","score":%s,"risk_level":"x","reasons":[{"rule_id":"velocity.account_1h","message":"12 payments from this account in the last hour"}],"policy_version":%s,"latency_micros":%s}',
    decision_id, event_id, action, score, 1 + s * 40 / :total, 200 + s % 900),
  md5('p' || s) || md5('h' || (s - 1)), md5('p' || (s + 1)) || md5('h' || s)
FROM (
  SELECT s, recorded, late, event_type, action, score, account_id,
    'dec_' || lpad(to_hex(recorded), 11, '0') || substr(md5('x' || s), 1, 16) AS decision_id,
    'evt_' || md5('e' || s) AS event_id,
    CASE WHEN event_type = 'payment' THEN 'merch_' || floor(50000 * r_merchant ^ 3)::int END AS merchant_id,
    CASE WHEN event_type IN ('payment', 'transfer', 'withdrawal', 'refund') THEN floor(exp(r_amount * 13))::bigint END AS amount,
    CASE WHEN event_type IN ('payment', 'transfer', 'withdrawal', 'refund') THEN (ARRAY['USD','EUR','GBP'])[1 + (s % 3)] END AS currency
  FROM (
    SELECT s, recorded, late, r_merchant, r_amount,
      'acct_' || floor(2000000 * r_account ^ 3)::int AS account_id,
      CASE WHEN r_type < 0.78 THEN 'payment' WHEN r_type < 0.88 THEN 'login' WHEN r_type < 0.93 THEN 'transfer'
           WHEN r_type < 0.96 THEN 'withdrawal' WHEN r_type < 0.98 THEN 'refund' WHEN r_type < 0.995 THEN 'registration'
           ELSE 'merchant_onboarding' END AS event_type,
      CASE WHEN r_action < 0.90 THEN 'ALLOW' WHEN r_action < 0.94 THEN 'REVIEW' WHEN r_action < 0.97 THEN 'CHALLENGE'
           WHEN r_action < 0.98 THEN 'HOLD' ELSE 'DENY' END AS action,
      CASE WHEN r_action < 0.90 THEN floor(r_score * 40)::int ELSE 40 + floor(r_score * 61)::int END AS score
    FROM (
      SELECT s,
        1761955200000 + (s - 1) * (34128000000 / :total) AS recorded,
        CASE WHEN random() < 0.995 THEN floor(random() * 1000)::bigint ELSE floor(random() * 3600000)::bigint END AS late,
        random() AS r_account, random() AS r_merchant, random() AS r_type, random() AS r_action, random() AS r_score,
        random() AS r_amount
      FROM generate_series(:from::bigint, :to::bigint) s
    ) raw
  ) typed
) named;

-- The rule index: about 30 % of ALLOW decisions carry one reason, the others two; rule ids skewed
-- (u^2 over 30 ids), one rare rule on about 1 in 10,000 decisions.
INSERT INTO decision_rules (rule_id, sequence)
SELECT DISTINCT CASE WHEN random() < 0.0001 THEN 'list.sanctions_match'
         ELSE (ARRAY['velocity.account_1h','large_payment','new_device','limit.daily_amount','geo.ip_country_mismatch',
           'model','scorecard.payment','list.block_device','velocity.card_10m','hold.large_withdrawal','new_payee',
           'restriction.account','limit.daily_count','velocity.ip_1h','geo.impossible_travel','list.watch_account',
           'amount.round_number','time.night','merchant.high_risk_mcc','device.emulator','account.young',
           'velocity.merchant_1m','refund.ratio','transfer.first_payee','withdrawal.after_password_change',
           'login.failed_burst','registration.disposable_email','onboarding.shared_director','limit.weekly_amount',
           'challenge.failed_recently'])[1 + floor(30 * random() ^ 2)::int] END, d.sequence
FROM decisions d CROSS JOIN LATERAL generate_series(1, CASE WHEN d.action <> 'ALLOW' THEN 2
    WHEN (d.sequence * 7919) % 10 < 3 THEN 1 ELSE 0 END) k
WHERE d.sequence BETWEEN :from AND :to;
