#!/usr/bin/env python3
"""Concurrent large model uploads against a running Vigil, body held in memory (the attacker's own CPU
stays small). Usage: model-uploads.py PORT THREADS SECONDS MODEL_FILE"""
import socket, sys, threading, time, collections
port, threads, seconds, path = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
body = open(path, "rb").read()
counts = collections.Counter(); lock = threading.Lock()
def run(i):
    end = time.time() + seconds; n = 0
    while time.time() < end:
        n += 1
        status = "reset"
        try:
            s = socket.create_connection(("127.0.0.1", port)); s.settimeout(60)
            s.sendall((f"PUT /v1/models/atk-{i}-{n} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                       f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode())
            view = memoryview(body)
            for off in range(0, len(body), 1 << 20):
                s.sendall(view[off:off + (1 << 20)])
            data = s.recv(4096)
            status = data.split(b" ", 2)[1].decode() if data else "none"
        except (BrokenPipeError, ConnectionResetError):
            try:
                data = s.recv(4096); status = data.split(b" ", 2)[1].decode() if data else "reset"
            except Exception:
                pass
        except Exception as e:
            status = type(e).__name__
        finally:
            try: s.close()
            except Exception: pass
        with lock: counts[status] += 1
        if status in ("503", "reset"): time.sleep(0.05)
ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
print(dict(counts))
