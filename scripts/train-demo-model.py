#!/usr/bin/env python3
"""Gives a running Vigil a live model to measure with (docs/performance.md, "Full stack with a live model").

Posts 1,500 payments of the last hour, each with a feedback label (fraud more likely the larger the
amount, with noise, so the trees are real ones), then trains a LightGBM model on them through
POST /v1/models/train and makes it live. Prints the model id and its validation metrics.

usage: scripts/train-demo-model.py [BASE_URL]   (default http://localhost:8080)

Decisions and labels are signed with an API key: VIGIL_KEY_ID and VIGIL_KEY_SECRET (the demo key in
<data-dir>/demo-api-key has the scopes needed). Training needs an administrator: VIGIL_SESSION (the
session cookie's value) and VIGIL_CSRF_TOKEN, from signing in.
"""
import datetime
import os
import json
import math
import random
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vigil_signing import Signer

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
SIGNER = Signer(os.environ["VIGIL_KEY_ID"], os.environ["VIGIL_KEY_SECRET"])


def credentials(path, data):
    """Signature headers (a key's scope allows the route), else the operator session's."""
    if path == "/v1/models/train":
        return {"Cookie": "VIGIL_SESSION=" + os.environ.get("VIGIL_SESSION", ""), "X-CSRF-Token": os.environ.get("VIGIL_CSRF_TOKEN", "")}
    return SIGNER.headers("POST", path, data)


def post(path, body):
    data = json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data,
                                     headers={"Content-Type": "application/json", **credentials(path, data)})
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def iso(t):
    return t.isoformat().replace("+00:00", "Z")


random.seed(5)
start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=50)
for i in range(1500):
    amount = random.randint(1000, 100000)
    fraud = random.random() < 1 / (1 + math.exp(-(amount - 70000) / 12000))
    status, decision = post("/v1/decisions", {
        "event_id": f"demo-{i}", "type": "payment", "occurred_at": iso(start + datetime.timedelta(seconds=2 * i)),
        "account_id": f"acct-{i % 60}", "merchant_id": f"shop-{i % 9}", "amount": amount, "currency": "USD"})
    if status != 200:
        sys.exit(f"decision {i}: {status} {decision}")
    status, label = post("/v1/feedback", {"label_id": f"demo-label-{i}", "decision_id": decision["decision_id"],
                                          "kind": "fraud" if fraud else "legitimate"})
    if status != 201:
        sys.exit(f"label {i}: {status} {label}")
status, model = post("/v1/models/train", {"from": iso(start - datetime.timedelta(minutes=1)), "label_delay_days": 0,
                                          "params": {"rounds": 200, "min_data_in_leaf": 5}, "role": "live"})
print(status, model.get("model_id"), model.get("role"), model.get("metrics"))
