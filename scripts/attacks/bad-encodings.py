#!/usr/bin/env python3
"""Bad percent-encodings against a running Vigil: N threads, each looping raw requests for D seconds.
Usage: bad-encodings.py PORT THREADS SECONDS"""
import socket, sys, threading, time, collections
port, threads, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
targets = ["/v1/decisions?account_id=%ZZ", "/actuator/health?x=%ZZ", "/actuator/prometheus?x=%ZZ", "/v1/lists/entries?value=%FF%FE"]
counts = collections.Counter(); lock = threading.Lock()
def run(i):
    end = time.time() + seconds; n = 0
    while time.time() < end:
        t = targets[n % len(targets)]; n += 1
        s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
        s.sendall(f"GET {t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            b = s.recv(65536)
            if not b: break
            data += b
        s.close()
        status = data.split(b" ", 2)[1].decode() if data else "none"
        with lock: counts[status] += 1
ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
print(dict(counts), "requests/s", round(sum(counts.values()) / seconds))
