#!/usr/bin/env bash
# Starts the packaged server the way a user does (./vigil start, fresh data directory), makes one
# decision and reads the API contract, then stops it. The test suite runs the server from the test
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

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
body="{\"event_id\":\"smoke_1\",\"type\":\"payment\",\"occurred_at\":\"$now\",\"account_id\":\"acct_smoke\",\"amount\":1000,\"currency\":\"USD\"}"
reply="$(curl -fsS -X POST "http://127.0.0.1:$port/v1/decisions" -H 'Content-Type: application/json' -d "$body")" || {
  echo "smoke: POST /v1/decisions failed; the server log:" >&2; tail -50 "$log" >&2; exit 1; }
case "$reply" in
  *'"action":'*) ;;
  *) echo "smoke: unexpected decision reply: $reply" >&2; exit 1 ;;
esac
curl -fsS "http://127.0.0.1:$port/v1/openapi.json" | grep -q '"openapi"' || { echo "smoke: no API contract" >&2; exit 1; }
# Not a terminal: the log is ECS JSON lines; an unknown format is refused before anything starts.
grep -q '^{"@timestamp"' "$log" || { echo "smoke: expected ECS JSON log lines when not on a terminal" >&2; head -5 "$log" >&2; exit 1; }
if ./vigil start --log-format yaml >/dev/null 2>&1; then echo "smoke: --log-format yaml was accepted" >&2; exit 1; fi
echo "smoke: ./vigil start answered a decision, served the API contract and logged ECS off a terminal"
