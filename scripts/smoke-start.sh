#!/usr/bin/env bash
# Starts the packaged server the way a user does (./vigil start, fresh data directory), makes one
# signed decision with the demo key and reads the API contract, then stops it. The test suite runs the server from the test
# classpath; this catches what only the packaged jar can get wrong (a missing runtime dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18080}"
data_dir="$(mktemp -d)"
log="$data_dir/server.log"
./vigil start --port "$port" --data-dir "$data_dir" >"$log" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
trap stop EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "smoke: the server exited; its log:" >&2; tail -50 "$log" >&2; exit 1; fi
  sleep 1
done

# A new installation's demo key, written on first start (mode 600): key_id=... and secret=... lines.
key_file="$data_dir/demo-api-key"
[ -f "$key_file" ] || { echo "smoke: no demo key at $key_file" >&2; exit 1; }
[ "$(stat -c %a "$key_file")" = 600 ] || { echo "smoke: $key_file is not mode 600" >&2; exit 1; }
key_id="$(sed -n 's/^key_id=//p' "$key_file")"
secret="$(sed -n 's/^secret=//p' "$key_file")"
grep -q "$secret" "$log" && ! grep -q '^{"@timestamp".*'"$secret" "$log" || {
  echo "smoke: the demo key's secret is printed once on standard output and never in a log line" >&2; exit 1; }

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
body="{\"event_id\":\"smoke_1\",\"type\":\"payment\",\"occurred_at\":\"$now\",\"account_id\":\"acct_smoke\",\"amount\":1000,\"currency\":\"USD\"}"
# Unsigned: refused.
status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/v1/decisions" -H 'Content-Type: application/json' -d "$body")"
[ "$status" = 401 ] || { echo "smoke: an unsigned decision request got $status, not 401" >&2; exit 1; }
# Signed (docs/security.md): HMAC-SHA256 over t, method, path and Content-Digest.
t="$(date +%s)"
digest="sha-256=:$(printf '%s' "$body" | openssl dgst -sha256 -binary | base64):"
signature="$(printf '%s\n%s\n%s\n%s' "$t" POST /v1/decisions "$digest" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.* //')"
reply="$(curl -fsS -X POST "http://127.0.0.1:$port/v1/decisions" -H 'Content-Type: application/json' \
  -H "Vigil-Key-Id: $key_id" -H "Vigil-Signature: t=$t,v1=$signature" -H "Content-Digest: $digest" -d "$body")" || {
  echo "smoke: POST /v1/decisions failed; the server log:" >&2; tail -50 "$log" >&2; exit 1; }
case "$reply" in
  *'"action":'*) ;;
  *) echo "smoke: unexpected decision reply: $reply" >&2; exit 1 ;;
esac
curl -fsS "http://127.0.0.1:$port/v1/openapi.json" | grep -q '"openapi"' || { echo "smoke: no API contract" >&2; exit 1; }
# Not a terminal: the log is ECS JSON lines; an unknown format is refused before anything starts.
grep -q '^{"@timestamp"' "$log" || { echo "smoke: expected ECS JSON log lines when not on a terminal" >&2; head -5 "$log" >&2; exit 1; }
if ./vigil start --log-format yaml >/dev/null 2>&1; then echo "smoke: --log-format yaml was accepted" >&2; exit 1; fi
echo "smoke: ./vigil start made a demo key, refused an unsigned decision, answered a signed one, served the API contract and logged ECS off a terminal"
