#!/usr/bin/env python3
"""Checks the PyTorch sidecar's ONNX interpreter against ONNX Runtime (CPU) on every model in a folder:
same random inputs, max absolute difference per output, and timing of both. Prints one line per model.
usage: check_sidecar.py MODEL_DIR [--device cuda:0]"""
import os
import sys
import time

import numpy as np
import onnxruntime as ort
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "src", "main", "resources", "io", "prescale", "live", "gpu"))
import torch_replica as tr  # noqa: E402

OVERRIDES = {"sr": np.array(16000, dtype=np.int64)}  # silero's sample rate
SHAPES = {"input": [1, 512], "state": [2, 1, 128], "x@paddle": [1, 3, 48, 192], "x@det": [1, 3, 320, 320]}


def inputs_for(graph, rng, name):
    feeds = {}
    for s in graph.inputs:
        if s["name"] in OVERRIDES and not s["shape"]:
            feeds[s["name"]] = OVERRIDES[s["name"]]
            continue
        tag = "@det" if "det_infer" in name.lower() else "@paddle" if "ppocr" in name.lower() else ""
        shape = SHAPES.get(s["name"] + tag, SHAPES.get(s["name"]))
        if shape is None or len(shape) != len(s["shape"]):
            shape = [d if d >= 0 else (3 if i == 0 else 1) for i, d in enumerate(s["shape"])]
        dt = tr.NP[s["datatype"]]
        feeds[s["name"]] = (rng.random(shape).astype(dt) if dt in (np.float32, np.float64) else np.zeros(shape, dt))
    return feeds


def main():
    folder = sys.argv[1]
    dev = torch.device(sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else "cuda:0")
    rng = np.random.default_rng(5)
    ok = True
    for root, _, files in os.walk(folder):
        for f in sorted(files):
            if not f.endswith(".onnx"):
                continue
            path = os.path.join(root, f)
            try:
                g = tr.Graph(path, dev)
                feeds = inputs_for(g, rng, f)
                sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
                t0 = time.perf_counter(); ref = sess.run(None, feeds); t_ort = time.perf_counter() - t0
                tf = {k: torch.from_numpy(np.ascontiguousarray(v)).to(dev) for k, v in feeds.items()}
                g.run(tf)  # warm
                if dev.type == "cuda": torch.cuda.synchronize()
                t0 = time.perf_counter(); got = g.run(tf)
                if dev.type == "cuda": torch.cuda.synchronize()
                t_torch = time.perf_counter() - t0
                diff = max(float(np.max(np.abs(r.astype(np.float64) - t.detach().cpu().numpy().astype(np.float64)))) if r.size else 0.0
                           for r, (_, t) in zip(ref, got))
                scale = max(float(np.max(np.abs(r))) if r.size else 0.0 for r in ref) or 1.0
                good = diff <= 1e-3 * max(1.0, scale)
                ok &= good
                print("%-40s %s max|diff| %.2e (output scale %.2e)  onnxruntime-cpu %.2f ms  torch-%s %.2f ms"
                      % (f, "OK  " if good else "DIFF", diff, scale, t_ort * 1000, dev.type, t_torch * 1000))
            except Exception as e:
                print("%-40s SKIP %s: %s" % (f, type(e).__name__, str(e)[:160]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
