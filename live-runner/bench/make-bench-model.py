#!/usr/bin/python3
"""Writes a batchable MLP for the throughput benchmark (Debian python3-onnx; run with /usr/bin/python3):
x: float32 [N, d0] -> d1 -> d2 -> d3 (ReLU between), seeded weights.
Usage: make-bench-model.py OUT.onnx [d0,d1,d2,d3]   (default 256,1024,1024,256: about 2.6 M multiply-adds per row)"""
import sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

rng = np.random.default_rng(7)
dims = [int(d) for d in (sys.argv[2] if len(sys.argv) > 2 else "256,1024,1024,256").split(",")]
nodes, inits, prev = [], [], "x"
for i in range(3):
    w = (rng.standard_normal((dims[i], dims[i + 1])) / np.sqrt(dims[i])).astype(np.float32)
    inits += [numpy_helper.from_array(w, f"W{i}"), numpy_helper.from_array(np.zeros(dims[i + 1], np.float32), f"b{i}")]
    nodes += [helper.make_node("MatMul", [prev, f"W{i}"], [f"h{i}"]), helper.make_node("Add", [f"h{i}", f"b{i}"], [f"a{i}"])]
    prev = f"a{i}"
    if i < 2:
        nodes.append(helper.make_node("Relu", [prev], [f"r{i}"]))
        prev = f"r{i}"
nodes.append(helper.make_node("Identity", [prev], ["y"]))
g = helper.make_graph(nodes, "mlp-bench", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", dims[0]])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", dims[-1]])], inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="prescale-bench")
m.ir_version = 8
onnx.checker.check_model(m)
onnx.save(m, sys.argv[1])
