#!/usr/bin/env python3
"""Open-loop decision load for the database-outage measurement (scripts/outage/database-outage.sh).

Sends RATE decisions/s (each a new event_id) for DURATION seconds from a schedule that does not wait
for answers; each request's latency counts from its scheduled time. Writes one JSON line per request
(scheduled time relative to the start, latency from the schedule, service time from the send, status, error code, event id, decision id, body) to OUT.
  outage-load.py PORT RATE DURATION OUT KEY_FILE
KEY_FILE is the API key that signs each request (key_id= and secret= lines, as <data-dir>/demo-api-key).
"""
import http.client, json, os, queue, sys, threading, time, datetime
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vigil_signing import Signer

port, rate, duration, out = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
signer = Signer.from_key_file(sys.argv[5])
WORKERS = 64
jobs = queue.Queue()
results = []
lock = threading.Lock()
start = time.monotonic()
with open(out + ".start", "w") as f:
    f.write(repr(time.time()))  # the wall time of the schedule's origin, to place the outage on it

def body(i):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {"event_id": f"outage-{i}", "type": "payment", "occurred_at": now, "account_id": f"acc-{i % 500}",
            "amount": 1000 + i % 97, "currency": "USD"}

def worker():
    conn = None
    while True:
        job = jobs.get()
        if job is None:
            return
        i, scheduled = job
        b = body(i)
        status, code, decision = 0, "connection", None
        sent = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            data = json.dumps(b).encode()
            conn.request("POST", "/v1/decisions", data, {"Content-Type": "application/json", **signer.headers("POST", "/v1/decisions", data)})
            r = conn.getresponse()
            text = r.read()
            status = r.status
            j = json.loads(text)
            if status == 200:
                code, decision = None, j.get("decision_id")
            else:
                code = j.get("error", {}).get("code")
        except Exception:
            conn = None
        done = time.monotonic()
        with lock:
            results.append({"t": scheduled - start, "latency": done - scheduled, "service": done - sent, "status": status, "code": code,
                            "event_id": b["event_id"], "decision_id": decision, "body": b})

threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
for t in threads:
    t.start()
n = int(rate * duration)
for i in range(n):
    scheduled = start + i / rate
    delay = scheduled - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    jobs.put((i, scheduled))
for _ in threads:
    jobs.put(None)
for t in threads:
    t.join()
with open(out, "w") as f:
    for r in sorted(results, key=lambda r: r["t"]):
        f.write(json.dumps(r) + "\n")
