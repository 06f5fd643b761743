#!/usr/bin/env python3
"""Overload a running `prescale serve` with large binary tensors and report what it answered.

    live-runner/bench/overload.py PORT MODEL [CLIENTS] [REQUESTS_EACH]

MODEL must be registered and take one FP32 input named x of shape [1, 3, 1024, 1024] (PP-OCRv4 det:
`{"name":"det","file":"paddleocr/ch_PP-OCRv4_det_infer.onnx","timeout":"120s"}`). Each client opens a
connection per request and sends a 12.6 MB Open Inference Protocol body with the binary tensor extension.
Prints the status codes seen and the server's peak resident memory (read from /proc, so run it on the
server's machine): the body budget should turn the excess into 429s, never 500s or an exhausted heap.
"""
import collections
import json
import socket
import subprocess
import sys
import threading
import time

port, model = int(sys.argv[1]), sys.argv[2]
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 60
each = int(sys.argv[4]) if len(sys.argv) > 4 else 2
size = 3 * 1024 * 1024 * 4
header = json.dumps({"inputs": [{"name": "x", "shape": [1, 3, 1024, 1024], "datatype": "FP32",
                                 "parameters": {"binary_data_size": size}}]}).encode()
body = header + bytes(size)
head = (b"POST /v2/models/%s/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        b"Inference-Header-Content-Length: %d\r\nContent-Length: %d\r\n\r\n" % (model.encode(), len(header), len(body)))
counts, lock = collections.Counter(), threading.Lock()


def client():
    for _ in range(each):
        status = "reset"
        try:
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.settimeout(300)
                s.sendall(head)
                try:
                    s.sendall(body)
                except OSError:
                    pass  # refused early (429 with Connection: close): the answer is still there to read
                first = b""
                while b"\r\n" not in first:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    first += chunk
                if first:
                    status = first[9:12].decode()
        except OSError as e:
            status = type(e).__name__
        with lock:
            counts[status] += 1


pid = subprocess.check_output(["pgrep", "-f", "java.*serve.*--port %d" % port]).decode().split()[0]
threads = [threading.Thread(target=client) for _ in range(clients)]
peak, t0 = 0, time.time()
for t in threads:
    t.start()
while any(t.is_alive() for t in threads):
    with open("/proc/%s/status" % pid) as f:
        peak = max(peak, int(f.read().split("VmRSS:")[1].split()[0]) // 1024)
    time.sleep(0.5)
print("statuses:", dict(sorted(counts.items())), "| peak resident memory: %d MB | %.0f s" % (peak, time.time() - t0))
