#!/usr/bin/env bash
# A PostgreSQL outage under open-loop load (docs/performance.md, "Database outage"). Starts the packaged
# server on a fresh PostgreSQL schema reached through a TCP forwarder (socat), sends RATE decisions/s,
# cuts the forwarder (every connection dropped, new ones refused) for OUTAGE seconds, brings it back,
# and reports: the answers during the outage and how long they took, the time from the database's
# return to the first and to steady decisions, whether the state was rebuilt, and whether every
# acknowledged decision is in the journal, byte for byte, and every refused event id retried gets the
# stored decision or a fresh one.
#   scripts/outage/database-outage.sh SERVER_JAR PORT [RATE] [OUTAGE] [PG_HOST] [PG_PORT]
# e.g. scripts/outage/database-outage.sh vigil-server/target/vigil-server.jar 18700 200 20
set -u
server_jar=$1; port=$2; rate=${3:-200}; outage=${4:-20}; pg_host=${5:-127.0.0.1}; pg_port=${6:-5432}
proxy_port=$((port + 1))
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d); log=$dir/server.log
schema="outage_$(date +%s)"
psql -h "$pg_host" -p "$pg_port" -U postgres -d test -qc "CREATE SCHEMA $schema" || exit 1
proxy() { setsid socat TCP-LISTEN:"$proxy_port",fork,reuseaddr TCP:"$pg_host":"$pg_port" & proxy_pid=$!; }
proxy
java -Xms512m -Xmx2g -XX:+UseParallelGC -Djava.io.tmpdir="$dir" -jar "$server_jar" --server.port="$port" \
  --vigil.data-dir="$dir/data" --vigil.storage.url="jdbc:postgresql://127.0.0.1:$proxy_port/test?currentSchema=$schema" \
  --vigil.storage.username=postgres > "$log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 1; done
warm=15; after=25
python3 "$here/outage-load.py" "$port" "$rate" $((warm + outage + after)) "$dir/load.jsonl" "$dir/data/demo-api-key" &
load_pid=$!
sleep "$warm"
cut_at=$(date +%s.%N)
kill -- -"$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null
sleep "$outage"
back_at=$(date +%s.%N)
proxy
wait "$load_pid"
VIGIL_SCRIPTS="$here/.." python3 - "$dir" "$port" "$warm" "$outage" "$cut_at" "$back_at" "$schema" "$pg_host" "$pg_port" <<'PY'
import json, os, sys, subprocess, http.client
sys.path.insert(0, os.path.join(os.environ["VIGIL_SCRIPTS"]))
from vigil_signing import Signer
signer = Signer.from_key_file(os.path.join(sys.argv[1], "data", "demo-api-key"))
d, port, warm, outage = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
cut_at, back_at, schema, pg_host, pg_port = float(sys.argv[5]), float(sys.argv[6]), sys.argv[7], sys.argv[8], sys.argv[9]
rows = [json.loads(l) for l in open(f"{d}/load.jsonl")]
origin = float(open(f"{d}/load.jsonl.start").read())
cut, back = cut_at - origin, back_at - origin
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
during = [r for r in rows if cut <= r["t"] < back]
codes = {}
for r in during: codes[(r["status"], r["code"])] = codes.get((r["status"], r["code"]), 0) + 1
refusals = [r["latency"] * 1000 for r in during if r["status"] == 503]
service = [r["service"] * 1000 for r in during if r["status"] == 503]
print(f"outage {back - cut:.1f} s at {len(rows) / (rows[-1]['t'] + 1e-9):.0f} req/s offered: answers during it {dict((f'{s} {c}', n) for (s, c), n in sorted(codes.items(), key=str))}")
print(f"  503 latency from the schedule p50 {pct(refusals, .5):.1f} ms, p99 {pct(refusals, .99):.1f} ms, max {max(refusals or [0]):.1f} ms;"
      f" from the send p50 {pct(service, .5):.1f} ms, p99 {pct(service, .99):.1f} ms, max {max(service or [0]):.1f} ms")
before = [r for r in rows if 5 <= r["t"] < cut]
print(f"  before the outage: {sum(r['status'] == 200 for r in before)} of {len(before)} got 200, p99 latency {pct([r['latency'] * 1000 for r in before], .99):.1f} ms")
after = [r for r in rows if r["t"] >= back]
first_ok = min((r["t"] + r["latency"] for r in rows if r["status"] == 200 and r["t"] + r["latency"] >= back), default=None)
print(f"  first decision answered {first_ok - back:.2f} s after the database returned" if first_ok else "  no decision after the database returned")
# steady: from the first 1 s window after which every request scheduled got 200
steady = None
for i, r in enumerate(after):
    if all(x["status"] == 200 for x in after[i:]):
        steady = r["t"] - back; break
print(f"  every request scheduled {steady:.2f} s or more after the return got 200" if steady is not None else "  not steady by the end")
ok_after = [r["latency"] * 1000 for r in after if r["status"] == 200 and r["t"] - back > (steady or 0) + 1]
print(f"  afterwards p50 {pct(ok_after, .5):.1f} ms, p99 {pct(ok_after, .99):.1f} ms")
log = open(f"{d}/server.log").read()
import re
back_log = re.findall(r'held decisions stored after (\d+) ms', log)
print(f"  state rebuilds logged: {log.count('state rebuilt from')} (1 = the start-up only); server log: held decisions stored {back_log} ms after the first failed commit")
q = lambda sql: subprocess.run(["psql", "-h", pg_host, "-p", pg_port, "-U", "postgres", "-d", "test", "-Atc", sql],
                               capture_output=True, text=True, check=True).stdout.split("\n")
stored = {}
for line in q(f"SELECT event_id || ' ' || decision_id FROM {schema}.decisions"):
    if line: e, dec = line.split(" "); stored[e] = dec
acked = [r for r in rows if r["status"] == 200]
lost = [r for r in acked if stored.get(r["event_id"]) != r["decision_id"]]
print(f"  acknowledged {len(acked)}, missing from the journal or different: {len(lost)}")
refused = [r for r in rows if r["status"] != 200]
held = sum(1 for r in refused if r["event_id"] in stored)
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
same = fresh = bad = 0
bad_codes = {}
for r in refused:
    before = stored.get(r["event_id"])
    data = json.dumps(r["body"]).encode()
    conn.request("POST", "/v1/decisions", data, {"Content-Type": "application/json", **signer.headers("POST", "/v1/decisions", data)})
    resp = conn.getresponse(); j = json.loads(resp.read())
    if resp.status != 200:
        bad += 1; k = f"{resp.status} {j.get('error', {}).get('code')}"; bad_codes[k] = bad_codes.get(k, 0) + 1
    elif before is not None: same += before == j["decision_id"]; bad += before != j["decision_id"]
    else: fresh += 1
print(f"  refused {len(refused)} (of which held and stored: {held}); retried: stored decision returned {same}, fresh decision {fresh}, other {bad} {bad_codes}")
dup = q(f"SELECT count(*) - count(DISTINCT event_id) FROM {schema}.decisions")[0]
print(f"  journal rows {q(f'SELECT count(*) FROM {schema}.decisions')[0]}, duplicate event ids {dup}")
PY
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
kill -- -"$proxy_pid" 2>/dev/null
psql -h "$pg_host" -p "$pg_port" -U postgres -d test -qc "DROP SCHEMA $schema CASCADE"
echo "server log: $log"
