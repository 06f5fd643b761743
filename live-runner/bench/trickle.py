#!/usr/bin/env python3
"""Slow senders against a runner: CLIENTS connections each start a POST /predict body and send one byte of it every
GAP seconds, while /health is asked every 50 ms. Prints when the runner cut the senders off (and with what status) and
how long /health took meanwhile. The runner must listen on loopback: ./prescale serve --port PORT

    live-runner/bench/trickle.py PORT [CLIENTS=300] [GAP=0.5] [SECONDS=20]
"""
import socket
import statistics
import sys
import threading
import time

port = int(sys.argv[1])
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 300
gap = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0

start = time.monotonic()
cut = []      # (seconds after its start, status) per sender the runner answered or closed
health = []   # (seconds after the start, latency) per /health asked
stop = threading.Event()
lock = threading.Lock()


def sender():
    began = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=seconds + 15)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(b"POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        s.setblocking(False)
        status = None
        while not stop.is_set() and time.monotonic() - began < seconds:
            try:
                head = s.recv(64)
                status = head.split(b" ")[1].decode() if head else "closed"
                break
            except BlockingIOError:
                pass
            time.sleep(gap)
            try:
                s.send(b" ")
            except (BrokenPipeError, ConnectionResetError):
                status = "reset"
                break
        s.close()
        if status is not None:
            with lock:
                cut.append((time.monotonic() - began, status))
    except OSError as e:
        with lock:
            cut.append((time.monotonic() - began, "error " + type(e).__name__))


def prober():
    while not stop.is_set():
        t = time.monotonic()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            s.recv(64)
            s.close()
            health.append((t - start, time.monotonic() - t))
        except OSError:
            health.append((t - start, float("inf")))
        time.sleep(0.05)


threads = [threading.Thread(target=sender, daemon=True) for _ in range(clients)]
probe = threading.Thread(target=prober, daemon=True)
probe.start()
for t in threads:
    t.start()
for t in threads:
    t.join(seconds + 20)
stop.set()
probe.join(35)

times = sorted(c[0] for c in cut)
statuses = {}
for _, st in cut:
    statuses[st] = statuses.get(st, 0) + 1
print(f"{clients} senders, a byte every {gap} s: {len(cut)} cut off, {clients - len(cut)} still sending after {seconds} s; statuses {statuses}")
if times:
    print(f"cut off after: min {times[0]:.2f} s, median {statistics.median(times):.2f} s, max {times[-1]:.2f} s")
lat = [l for _, l in health]
if lat:
    print(f"/health asked {len(lat)} times: median {statistics.median(lat) * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms")
