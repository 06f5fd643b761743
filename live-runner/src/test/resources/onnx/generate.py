#!/usr/bin/python3
"""Builds the tiny ONNX test fixtures next to this script (Debian python3-onnx; run with /usr/bin/python3).

affine.onnx   x: float32 [N, 4]  ->  y = 2 * x + 1           (dynamic batch: used for batching tests)
mlp.onnx      x: float32 [N, 16] ->  y = relu(x @ W + b)      (W = 0.01 * (i - j), b = 0.5: deterministic)
ids.onnx      ids: int64 [N, 3]  ->  out = ids + 10           (a second element type)
fixed.onnx    x: float32 [1, 2]  ->  y = -x                   (fixed shape: no batching possible)
slow.onnx     x: float32 [N, 1]  ->  y = x + sum(A @ A), A = 0.001 * ones(384, 384): a ~5-20 ms run from a
              file of a few hundred bytes (ConstantOfShape builds A at run time), for overload tests
branchy.onnx  x: float32 [N, 8], flag: int64 scalar  ->  y: float32 [N, 14]: the ops recurrent models such as
              Silero VAD use (If on Equal(flag, 1) choosing a reflect or a zero Pad, Split, a one-step LSTM,
              Gather with a negative index, Slice with a negative step, Concat), to check the GPU sidecar
upsample.onnx x: float32 [N, 2, 3, 4]  ->  up: [N, 2, 12, 16], smooth: [N, 2, 5, 7]: the decoder ops of detection
              models such as PaddleOCR's (ConvTranspose 2x2 stride 2, then Resize nearest x2 on the asymmetric
              grid by scales; Resize bilinear on the half-pixel grid by sizes), to check the GPU sidecar
vadlike.onnx  x: float32 [N, L], state: float32 [2, N, 4]  ->  y: [N, L + 8] = concat(reflect-pad(x, 2 each side),
              sum(state over axis 0)): Silero VAD's signature in small (a free length that a reflect pad needs >= 3, a
              batch dimension in second place that must match x's), for the warm-up input
half.onnx     x: float16 [N, 2]  ->  y = x: an element type the runner does not carry (a load it must refuse)
"""
import os
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="prescale-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


save("affine",
     [helper.make_node("Mul", ["x", "two"], ["t"]), helper.make_node("Add", ["t", "one"], ["y"])],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])],
     [numpy_helper.from_array(np.array(2, dtype=np.float32), "two"),
      numpy_helper.from_array(np.array(1, dtype=np.float32), "one")])

i, j = np.meshgrid(np.arange(16), np.arange(16), indexing="ij")
save("mlp",
     [helper.make_node("MatMul", ["x", "W"], ["h"]), helper.make_node("Add", ["h", "b"], ["z"]),
      helper.make_node("Relu", ["z"], ["y"])],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 16])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 16])],
     [numpy_helper.from_array((0.01 * (i - j)).astype(np.float32), "W"),
      numpy_helper.from_array(np.full(16, 0.5, dtype=np.float32), "b")])

save("ids",
     [helper.make_node("Add", ["ids", "ten"], ["out"])],
     [helper.make_tensor_value_info("ids", TensorProto.INT64, ["N", 3])],
     [helper.make_tensor_value_info("out", TensorProto.INT64, ["N", 3])],
     [numpy_helper.from_array(np.array(10, dtype=np.int64), "ten")])

save("fixed",
     [helper.make_node("Neg", ["x"], ["y"])],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])

save("slow",
     [helper.make_node("ConstantOfShape", ["dims"], ["A"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.001])),
      # A + 0 * mean(x): depends on the input, so ONNX Runtime cannot constant-fold the MatMul away
      helper.make_node("ReduceMean", ["x"], ["m"], keepdims=0),
      helper.make_node("Mul", ["m", "zero"], ["z"]),
      helper.make_node("Add", ["A", "z"], ["A2"]),
      helper.make_node("MatMul", ["A2", "A2"], ["B"]),
      helper.make_node("ReduceSum", ["B"], ["s"], keepdims=0),
      helper.make_node("Add", ["x", "s"], ["y"])],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])],
     [numpy_helper.from_array(np.array([384, 384], dtype=np.int64), "dims"),
      numpy_helper.from_array(np.array(0, dtype=np.float32), "zero")])

rng = np.random.default_rng(11)
branch_out = [helper.make_tensor_value_info("padded", TensorProto.FLOAT, None)]
then_g = helper.make_graph([helper.make_node("Pad", ["x", "pads"], ["padded"], mode="reflect")], "reflect", [], branch_out)
else_g = helper.make_graph([helper.make_node("Pad", ["x", "pads"], ["padded"], mode="constant")], "zeros", [], branch_out)
save("branchy",
     [helper.make_node("Equal", ["flag", "one_i"], ["cond"]),
      helper.make_node("If", ["cond"], ["padded"], then_branch=then_g, else_branch=else_g),  # [N, 12]
      helper.make_node("Split", ["padded", "halves"], ["a", "b"], axis=1),  # [N, 6] each
      helper.make_node("Unsqueeze", ["a", "zero_axis"], ["seq"]),  # [1, N, 6]
      helper.make_node("LSTM", ["seq", "W", "R", "B"], ["", "h"], hidden_size=4),  # h: [1, N, 4]
      helper.make_node("Squeeze", ["h", "zero_axis"], ["h2"]),
      helper.make_node("Gather", ["b", "last_first"], ["g"], axis=1),  # [N, 2]
      helper.make_node("Slice", ["x", "rev_start", "rev_end", "one_axis", "minus_one"], ["rev"]),  # x reversed along 1
      helper.make_node("Concat", ["h2", "g", "rev"], ["y"], axis=1)],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 8]),
      helper.make_tensor_value_info("flag", TensorProto.INT64, [])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 14])],
     [numpy_helper.from_array(np.array(1, dtype=np.int64), "one_i"),
      numpy_helper.from_array(np.array([0, 2, 0, 2], dtype=np.int64), "pads"),
      numpy_helper.from_array(np.array([6, 6], dtype=np.int64), "halves"),
      numpy_helper.from_array(np.array([0], dtype=np.int64), "zero_axis"),
      numpy_helper.from_array((0.5 * rng.standard_normal((1, 16, 6))).astype(np.float32), "W"),
      numpy_helper.from_array((0.5 * rng.standard_normal((1, 16, 4))).astype(np.float32), "R"),
      numpy_helper.from_array((0.1 * rng.standard_normal((1, 32))).astype(np.float32), "B"),
      numpy_helper.from_array(np.array([-1, 0], dtype=np.int64), "last_first"),
      numpy_helper.from_array(np.array([-1], dtype=np.int64), "rev_start"),
      numpy_helper.from_array(np.array([-100], dtype=np.int64), "rev_end"),
      numpy_helper.from_array(np.array([1], dtype=np.int64), "one_axis"),
      numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus_one")])

save("upsample",
     [helper.make_node("ConvTranspose", ["x", "Wt", "bt"], ["t"], kernel_shape=[2, 2], strides=[2, 2]),  # [N, 2, 6, 8]
      helper.make_node("Resize", ["t", "", "twice"], ["up"], mode="nearest", coordinate_transformation_mode="asymmetric",
                       nearest_mode="floor"),
      helper.make_node("Shape", ["x"], ["xs"]),
      helper.make_node("Slice", ["xs", "zero_axis", "two"], ["nc"]),
      helper.make_node("Concat", ["nc", "hw"], ["size"], axis=0),
      helper.make_node("Resize", ["x", "", "", "size"], ["smooth"], mode="linear", coordinate_transformation_mode="half_pixel")],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 3, 4])],
     [helper.make_tensor_value_info("up", TensorProto.FLOAT, ["N", 2, 12, 16]),
      helper.make_tensor_value_info("smooth", TensorProto.FLOAT, ["N", 2, 5, 7])],
     [numpy_helper.from_array((0.5 * rng.standard_normal((2, 2, 2, 2))).astype(np.float32), "Wt"),
      numpy_helper.from_array(np.array([0.1, -0.2], dtype=np.float32), "bt"),
      numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), "twice"),
      numpy_helper.from_array(np.array([0], dtype=np.int64), "zero_axis"),
      numpy_helper.from_array(np.array([2], dtype=np.int64), "two"),
      numpy_helper.from_array(np.array([5, 7], dtype=np.int64), "hw")])

save("vadlike",
     [helper.make_node("Pad", ["x", "pads"], ["padded"], mode="reflect"),  # [N, L + 4]: needs L >= 3
      helper.make_node("ReduceSum", ["state", "zero_axis"], ["s"], keepdims=0),  # [N, 4]
      helper.make_node("Concat", ["padded", "s"], ["y"], axis=1)],  # N of x and of state must agree
     [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "L"]),
      helper.make_tensor_value_info("state", TensorProto.FLOAT, [2, "N", 4])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", None])],
     [numpy_helper.from_array(np.array([0, 2, 0, 2], dtype=np.int64), "pads"),
      numpy_helper.from_array(np.array([0], dtype=np.int64), "zero_axis")])

save("half",
     [helper.make_node("Identity", ["x"], ["y"])],
     [helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["N", 2])],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["N", 2])])
