#!/usr/bin/env python3
"""Console page times: signs in an operator with every role and requests each console path N times.

Used by scripts/console/page-times.sh (which starts the server); runnable on its own against a running
server:  page_times.py --base http://127.0.0.1:18282 --data-dir DIR --pages pages.txt [--n 50] [--warmup 5]

The operator: on the first run, the first administrator ('admin', one-time password from
DATA_DIR/initial-admin-password) signs in, creates 'bench.console' with every role and approves that
change as the store's only administrator; the credentials are kept in DATA_DIR/bench-operator.json for
later runs. Times are measured by this client on loopback (request sent to last byte read, one
keep-alive connection): the server adds no timing header, so the figures include the HTTP exchange.

A line of the pages file is a path; {account}, {decision}, {merchant}, {rule} and {operator} are
replaced by values read from the schema (the busiest account of the last day, the newest decision, ...).
Lines starting with # are skipped.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import statistics
import struct
import subprocess
import sys
import time
import urllib.parse

ROLES = ["viewer", "analyst", "reviewer", "rule_author", "approver", "compliance_officer", "supervisor", "administrator"]
BENCH_USER = "bench.console"


def totp(seed, step):
    key = base64.b32decode(seed.upper() + "=" * (-len(seed) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class Client:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.cookie = None
        self.csrf = ""

    def request(self, method, path, body=None):
        headers = {"Accept": "application/json, text/html"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            r = self.conn.getresponse()
            payload = r.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self.conn.request(method, path, body=data, headers=headers)
            r = self.conn.getresponse()
            payload = r.read()
        elapsed_ms = (time.perf_counter() - started) * 1000
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("VIGIL_SESSION="):
                self.cookie = v.split(";", 1)[0]
        return r.status, payload, elapsed_ms

    def json(self, method, path, body=None, expect=200):
        status, payload, _ = self.request(method, path, body)
        if status != expect:
            raise SystemExit("%s %s answered %d: %s" % (method, path, status, payload[:400]))
        return json.loads(payload) if payload else {}


class Seed:
    """A TOTP seed and the last step used (the server refuses a step used before)."""

    def __init__(self, seed):
        self.seed, self.last = seed, 0

    def code(self):
        now = int(time.time()) // 30
        step = max(self.last + 1, now - 1)
        if step > now + 1:
            time.sleep(30)
            return self.code()
        self.last = step
        return totp(self.seed, step)


def first_sign_in(c, username, one_time):
    password = "Bench-" + base64.urlsafe_b64encode(os.urandom(12)).decode() + "!9"
    c.json("POST", "/v1/auth/login", {"username": username, "password": one_time})
    c.json("POST", "/v1/auth/password", {"current_password": one_time, "new_password": password})
    uri = c.json("POST", "/v1/auth/totp/enrolment", {})["otpauth_uri"]
    seed = Seed(urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)["secret"][0])
    s = c.json("POST", "/v1/auth/totp/enrolment/confirm", {"code": seed.code()})
    c.csrf = s["csrf_token"]
    return password, seed


def bench_operator(base, data_dir):
    """A signed-in client of an operator holding every role."""
    saved = os.path.join(data_dir, "bench-operator.json")
    c = Client(base)
    if os.path.exists(saved):
        with open(saved) as f:
            op = json.load(f)
        c.json("POST", "/v1/auth/login", {"username": op["username"], "password": op["password"]})
        seed = Seed(op["seed"])
        s = c.json("POST", "/v1/auth/login/totp", {"code": seed.code()})
        c.csrf = s["csrf_token"]
        return c
    with open(os.path.join(data_dir, "initial-admin-password")) as f:
        one_time = f.read().strip()
    admin = Client(base)
    _, admin_seed = first_sign_in(admin, "admin", one_time)
    created = admin.json("POST", "/v1/operators", {"username": BENCH_USER, "display_name": "Console bench", "roles": ROLES})
    admin.json("POST", "/v1/auth/step-up", {"code": admin_seed.code()})
    admin.json("POST", "/v1/role-changes/%s/approve" % created["role_change"]["id"], {})
    password, seed = first_sign_in(c, BENCH_USER, created["one_time_password"])
    with open(saved, "w") as f:
        json.dump({"username": BENCH_USER, "password": password, "seed": seed.seed}, f)
    return c


def psql(schema, sql):
    env = dict(os.environ, PGOPTIONS="-c search_path=%s" % schema)
    for k, v in (("PGHOST", "127.0.0.1"), ("PGPORT", "5432"), ("PGUSER", "postgres"), ("PGDATABASE", "test")):
        env.setdefault(k, v)
    return subprocess.run(["psql", "-X", "-q", "-At", "-c", sql], env=env, check=True, capture_output=True, text=True).stdout


def placeholders(schema):
    day_ago = int(time.time() * 1000) - 86_400_000
    values = {
        "account": psql(schema, "SELECT account_id FROM decisions WHERE occurred_at_millis >= %d AND account_id IS NOT NULL"
                        " GROUP BY account_id ORDER BY count(*) DESC LIMIT 1" % day_ago).strip(),
        "decision": psql(schema, "SELECT decision_id FROM decisions ORDER BY sequence DESC LIMIT 1").strip(),
        "merchant": psql(schema, "SELECT merchant_id FROM decisions WHERE merchant_id IS NOT NULL ORDER BY sequence DESC LIMIT 1")
        .strip(),
        "rule": "large_payment",
        "operator": BENCH_USER,
    }
    return values


def percentile(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base", required=True)
    a.add_argument("--data-dir", required=True)
    a.add_argument("--pages", required=True)
    a.add_argument("--schema", required=True)
    a.add_argument("--n", type=int, default=50)
    a.add_argument("--warmup", type=int, default=5)
    args = a.parse_args()
    values = placeholders(args.schema)
    c = bench_operator(args.base, args.data_dir)
    with open(args.pages) as f:
        paths = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    print("| path | status | bytes | p50 ms | p99 ms | max ms | requests |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for template in paths:
        path = template
        for k, v in values.items():
            path = path.replace("{" + k + "}", urllib.parse.quote(v, safe=""))
        for _ in range(args.warmup):
            c.request("GET", path)
        times, status, size = [], None, 0
        for _ in range(args.n):
            status, payload, ms = c.request("GET", path)
            times.append(ms)
            size = len(payload)
        p50, p99 = statistics.median(times), percentile(times, 99)
        worst = max(worst, p99)
        print("| `%s` | %s | %d | %.1f | %.1f | %.1f | %d |" % (template, status, size, p50, p99, max(times), len(times)))
        sys.stdout.flush()
    print("\nworst p99: %.1f ms (placeholders: %s)" % (worst, json.dumps(values)))


if __name__ == "__main__":
    main()
