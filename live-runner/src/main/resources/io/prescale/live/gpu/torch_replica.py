#!/usr/bin/env python3
"""A GPU replica for the Prescale live runner where ONNX Runtime's CUDA provider cannot load (e.g. a CUDA 13
machine without the CUDA 12 libraries onnxruntime_gpu needs): runs an ONNX graph with PyTorch on the GPU.

It interprets the graph node by node (ops below; If branches, no loops), with the initializers on the device and
the process's CUDA memory capped (torch.cuda.set_per_process_memory_fraction), so several replicas share
one GPU. The Java side (TorchSidecarReplica) talks to it over stdin/stdout:

  start:    one JSON line {"ok", "device", "inputs": [{name, datatype, shape}], "outputs": [...]}
  request:  u32 big-endian header length, header {"inputs": [{name, datatype, shape}]}, then each tensor's
            raw little-endian bytes in header order
  reply:    the same framing with {"ok": true, "outputs": [...]} or {"ok": false, "error": "..."}

usage: torch_replica.py MODEL.onnx [--device cuda:0|cpu] [--memory-bytes N] [--check]
  --check: run once on zeros, print the signature and exit (no stdin protocol).
"""
import json
import struct
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

ONNX_TO_TORCH = {1: torch.float32, 11: torch.float64, 7: torch.int64, 6: torch.int32, 3: torch.int8, 2: torch.uint8, 9: torch.bool,
                 10: torch.float16}
NAMES = {1: "FP32", 11: "FP64", 7: "INT64", 6: "INT32", 3: "INT8", 2: "UINT8", 9: "BOOL"}
NP = {"FP32": np.float32, "FP64": np.float64, "INT64": np.int64, "INT32": np.int32, "INT8": np.int8, "UINT8": np.uint8, "BOOL": np.bool_}


def attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def ints(t):
    return [int(v) for v in t.flatten().tolist()]


def pool_pads(a, nd):
    p = list(a.get("pads", [0] * (2 * nd)))
    return p[:nd], p[nd:]


def conv(x, w, b, a):
    nd = x.dim() - 2
    begin, end = pool_pads(a, nd)
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise ValueError("Conv auto_pad is not supported")
    if begin != end:
        pad = []
        for i in reversed(range(nd)):
            pad += [begin[i], end[i]]
        x = F.pad(x, pad)
        begin = [0] * nd
    f = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[nd]
    return f(x, w, b, stride=a.get("strides", [1] * nd), padding=begin, dilation=a.get("dilations", [1] * nd), groups=a.get("group", 1))


def conv_transpose(x, w, b, a):
    nd = x.dim() - 2
    begin, end = pool_pads(a, nd)
    if begin != end or "output_shape" in a or a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise ValueError("ConvTranspose with asymmetric pads, auto_pad or output_shape is not supported")
    f = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[nd]
    return f(x, w, b, stride=a.get("strides", [1] * nd), padding=begin, output_padding=a.get("output_padding", [0] * nd),
             groups=a.get("group", 1), dilation=a.get("dilations", [1] * nd))


def resize(x, i, a):
    """ONNX Resize on the spatial dims, where PyTorch's interpolate computes the same thing: nearest with floor
    on the asymmetric grid (or any grid at integer factors, where all agree), and (bi/tri)linear on the half-pixel
    or align-corners grids."""
    def text(k, default):
        v = a.get(k, default)
        return v.decode() if isinstance(v, bytes) else v
    mode, grid = text("mode", "nearest"), text("coordinate_transformation_mode", "half_pixel")
    sizes = ints(i[3]) if len(i) > 3 and i[3] is not None and i[3].numel() else None
    scales = [float(v) for v in i[2].flatten().tolist()] if len(i) > 2 and i[2] is not None and i[2].numel() else None
    if sizes is None:
        if scales is None: raise ValueError("Resize needs scales or sizes")
        if scales[:2] != [1.0, 1.0]: raise ValueError("Resize of the batch or channel dimension is not supported")
        sizes = list(x.shape[:2]) + [int(np.floor(d * s)) for d, s in zip(x.shape[2:], scales[2:])]
    if list(sizes[:2]) != list(x.shape[:2]):
        raise ValueError("Resize of the batch or channel dimension is not supported")
    out = [int(v) for v in sizes[2:]]
    if mode == "nearest":
        integer = all(o % d == 0 for o, d in zip(out, x.shape[2:]))
        if not ((grid == "asymmetric" and text("nearest_mode", "round_prefer_floor") == "floor") or (integer and grid != "align_corners")):
            raise ValueError("Resize nearest on the %s grid is supported at integer factors only" % grid)
        return F.interpolate(x, size=out, mode="nearest")
    if mode == "linear" and grid in ("half_pixel", "pytorch_half_pixel", "align_corners"):
        return F.interpolate(x, size=out, mode={1: "linear", 2: "bilinear", 3: "trilinear"}[x.dim() - 2],
                             align_corners=grid == "align_corners")
    raise ValueError("Resize mode %s on the %s grid is not supported" % (mode, grid))


def pool(x, a, kind):
    nd = x.dim() - 2
    k = a["kernel_shape"]
    begin, end = pool_pads(a, nd)
    if begin != end:
        pad = []
        for i in reversed(range(nd)):
            pad += [begin[i], end[i]]
        x = F.pad(x, pad, value=float("-inf") if kind == "max" else 0.0)
        begin = [0] * nd
    s = a.get("strides", [1] * nd)
    ceil = bool(a.get("ceil_mode", 0))
    if kind == "max":
        return {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[nd](x, k, s, begin, ceil_mode=ceil)
    return {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[nd](x, k, s, begin, ceil_mode=ceil,
                                                                   count_include_pad=bool(a.get("count_include_pad", 0)))


def reduce(x, axes, keep, fn):
    if axes is None or len(axes) == 0:
        r = fn(x)
        return r.reshape([1] * x.dim()) if keep else r
    return fn(x, dim=tuple(axes), keepdim=bool(keep))


def pad(x, pads, value, mode):
    nd = x.dim()
    if all(p == 0 for p in pads):
        return x
    flat = []
    for d in reversed(range(nd)):
        flat += [pads[d], pads[d + nd]]
    while len(flat) > 2 and flat[-1] == 0 and flat[-2] == 0:  # torch wants only the trailing dims that change
        flat = flat[:-2]
    mode = mode.decode() if isinstance(mode, bytes) else mode
    if mode == "constant":
        return F.pad(x, flat, value=float(value))
    return F.pad(x, flat, mode={"reflect": "reflect", "edge": "replicate"}[mode])


def lstm(x, w, r, b, h, c, a):
    """ONNX LSTM, forward direction, default activations; gates in ONNX order i, o, f, c."""
    if a.get("direction", b"forward") not in (b"forward", "forward") or "activations" in a or a.get("input_forget", 0):
        raise ValueError("LSTM: only the forward direction with default activations is supported")
    if a.get("layout", 0):  # batch first: [batch, seq, input], states [batch, num_directions, hidden]
        x = x.transpose(0, 1)
        h = None if h is None else h.transpose(0, 1)
        c = None if c is None else c.transpose(0, 1)
    hidden = r.shape[-1]
    batch = x.shape[1]
    h = torch.zeros(batch, hidden, dtype=x.dtype, device=x.device) if h is None else h[0]
    c = torch.zeros(batch, hidden, dtype=x.dtype, device=x.device) if c is None else c[0]
    bias = 0 if b is None else b[0, :4 * hidden] + b[0, 4 * hidden:]
    clip = a.get("clip")
    ys = []
    for t in range(x.shape[0]):
        g = x[t] @ w[0].t() + h @ r[0].t() + bias
        if clip is not None:
            g = torch.clamp(g, -clip, clip)
        gi, go, gf, gc = g.chunk(4, dim=-1)
        c = torch.sigmoid(gf) * c + torch.sigmoid(gi) * torch.tanh(gc)
        h = torch.sigmoid(go) * torch.tanh(c)
        ys.append(h)
    y = torch.stack(ys).unsqueeze(1)  # [seq, num_directions = 1, batch, hidden]
    if a.get("layout", 0):
        y = y.permute(2, 0, 1, 3)
        return [y, h.unsqueeze(0).transpose(0, 1), c.unsqueeze(0).transpose(0, 1)]
    return [y, h.unsqueeze(0), c.unsqueeze(0)]


BINARY = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div, "Pow": torch.pow, "Equal": torch.eq,
          "Greater": torch.gt, "Less": torch.lt, "GreaterOrEqual": torch.ge, "LessOrEqual": torch.le,
          "And": torch.logical_and, "Or": torch.logical_or, "Xor": torch.logical_xor}
UNARY = {"Neg": torch.neg, "Abs": torch.abs, "Sqrt": torch.sqrt, "Exp": torch.exp, "Log": torch.log, "Relu": torch.relu,
         "Sigmoid": torch.sigmoid, "Tanh": torch.tanh, "Erf": torch.erf, "Identity": lambda t: t, "Floor": torch.floor,
         "Ceil": torch.ceil, "Reciprocal": torch.reciprocal, "Not": torch.logical_not}


def run_node(n, a, v, opset, dev):
    op = n.op_type
    i = [v[name] if name else None for name in n.input]
    if op in BINARY:
        if op == "Div" and not i[0].is_floating_point() and not i[1].is_floating_point():
            return [torch.div(i[0], i[1], rounding_mode="trunc")]
        return [BINARY[op](i[0], i[1])]
    if op in ("Max", "Min", "Sum"):
        r = i[0]
        for t in i[1:]:
            r = {"Max": torch.maximum, "Min": torch.minimum, "Sum": torch.add}[op](r, t)
        return [r]
    if op in UNARY:
        return [UNARY[op](i[0])]
    if op == "If":  # the branch's nodes see this scope's values (ONNX outer-scope names)
        return a["then_branch" if bool(i[0].reshape(-1)[0]) else "else_branch"].run(v)
    if op == "Where":
        return [torch.where(i[0], i[1], i[2])]
    if op == "MatMul":
        return [torch.matmul(i[0], i[1])]
    if op == "Gemm":
        x, w = i[0], i[1]
        if a.get("transA", 0): x = x.t()
        if a.get("transB", 0): w = w.t()
        y = a.get("alpha", 1.0) * (x @ w)
        if len(i) > 2 and i[2] is not None: y = y + a.get("beta", 1.0) * i[2]
        return [y]
    if op == "LSTM":
        if len(i) > 4 and i[4] is not None: raise ValueError("LSTM: sequence_lens is not supported")
        if len(i) > 7 and i[7] is not None: raise ValueError("LSTM: peepholes are not supported")
        get = lambda k: i[k] if len(i) > k else None
        return lstm(i[0], i[1], i[2], get(3), get(5), get(6), a)[:len(n.output)]
    if op == "Softmax":
        return [torch.softmax(i[0], dim=a.get("axis", -1 if opset >= 13 else 1))]
    if op == "LeakyRelu":
        return [F.leaky_relu(i[0], a.get("alpha", 0.01))]
    if op == "HardSigmoid":
        return [torch.clamp(a.get("alpha", 0.2) * i[0] + a.get("beta", 0.5), 0, 1)]
    if op == "HardSwish":
        return [F.hardswish(i[0])]
    if op == "Clip":
        lo = i[1] if len(i) > 1 and i[1] is not None else a.get("min")
        hi = i[2] if len(i) > 2 and i[2] is not None else a.get("max")
        return [torch.clamp(i[0], lo, hi)]
    if op == "Conv":
        return [conv(i[0], i[1], i[2] if len(i) > 2 else None, a)]
    if op == "ConvTranspose":
        return [conv_transpose(i[0], i[1], i[2] if len(i) > 2 else None, a)]
    if op == "Resize":
        return [resize(i[0], i, a)]
    if op == "BatchNormalization":
        return [F.batch_norm(i[0], i[3], i[4], i[1], i[2], False, 0.0, a.get("epsilon", 1e-5))]
    if op == "MaxPool":
        return [pool(i[0], a, "max")]
    if op == "AveragePool":
        return [pool(i[0], a, "avg")]
    if op == "GlobalAveragePool":
        return [i[0].mean(dim=tuple(range(2, i[0].dim())), keepdim=True)]
    if op == "Flatten":
        ax = a.get("axis", 1)
        return [i[0].reshape(int(np.prod(i[0].shape[:ax])) if ax else 1, -1)]
    if op == "Reshape":
        shape = ints(i[1])
        if not a.get("allowzero", 0):
            shape = [i[0].shape[k] if s == 0 else s for k, s in enumerate(shape)]
        return [i[0].reshape(shape)]
    if op == "Transpose":
        return [i[0].permute(a.get("perm", list(reversed(range(i[0].dim())))))]
    if op == "Concat":
        return [torch.cat([t for t in i if t is not None], dim=a["axis"])]
    if op == "Split":
        ax = a.get("axis", 0) % i[0].dim()
        sizes = a.get("split") or (ints(i[1]) if len(i) > 1 and i[1] is not None else None)
        if sizes is None:  # equal parts, the last one smaller (opset 18 num_outputs)
            k = -(-i[0].shape[ax] // len(n.output))
            sizes = [min(k, i[0].shape[ax] - k * j) for j in range(len(n.output))]
        return list(torch.split(i[0], list(sizes), dim=ax))
    if op == "Pad":
        if "pads" in a:  # opset < 11: attributes
            pads, value = list(a["pads"]), a.get("value", 0.0)
        else:
            pads = ints(i[1])
            value = i[2].reshape(-1)[0].item() if len(i) > 2 and i[2] is not None and i[2].numel() else 0
            if len(i) > 3 and i[3] is not None:  # opset 18 axes: pads for those axes only
                axes = [ax % i[0].dim() for ax in ints(i[3])]
                full = [0] * (2 * i[0].dim())
                for k, ax in enumerate(axes):
                    full[ax], full[ax + i[0].dim()] = pads[k], pads[k + len(axes)]
                pads = full
        return [pad(i[0], pads, value, a.get("mode", b"constant"))]
    if op in ("Unsqueeze", "Squeeze"):
        axes = a.get("axes") if "axes" in a else (ints(i[1]) if len(i) > 1 and i[1] is not None else None)
        x = i[0]
        if op == "Squeeze":
            if axes is None:
                return [x.squeeze()]
            for ax in sorted({ax % x.dim() for ax in axes}, reverse=True):  # one by one: torch < 2 takes one dim
                x = x.squeeze(ax)
            return [x]
        for ax in sorted(ax % (x.dim() + len(axes)) for ax in axes):
            x = x.unsqueeze(ax)
        return [x]
    if op == "Shape":
        return [torch.tensor(list(i[0].shape), dtype=torch.int64, device=dev)]
    if op == "Size":
        return [torch.tensor(i[0].numel(), dtype=torch.int64, device=dev)]
    if op == "Gather":
        ax = a.get("axis", 0) % i[0].dim()
        idx = i[1].reshape(-1).long()
        idx = torch.where(idx < 0, idx + i[0].shape[ax], idx)  # ONNX counts negative indices from the end
        return [torch.index_select(i[0], ax, idx).reshape(list(i[0].shape[:ax]) + list(i[1].shape) + list(i[0].shape[ax + 1:]))]
    if op == "Cast":
        return [i[0].to(ONNX_TO_TORCH[a["to"]])]
    if op == "ConstantOfShape":
        val = numpy_helper.to_array(a["value"]).copy() if "value" in a else np.zeros(1, np.float32)
        return [torch.full(ints(i[0]), val.item(), dtype=torch.from_numpy(val).dtype, device=dev)]
    if op in ("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin"):
        axes = a.get("axes") if "axes" in a else (ints(i[1]) if len(i) > 1 and i[1] is not None else None)
        fn = {"ReduceSum": torch.sum, "ReduceMean": torch.mean,
              "ReduceMax": lambda t, **k: torch.amax(t, **k) if k else t.max(), "ReduceMin": lambda t, **k: torch.amin(t, **k) if k else t.min()}[op]
        return [reduce(i[0], axes, a.get("keepdims", 1), fn)]
    if op == "Slice":
        if "starts" in a:  # opset < 10: attributes
            starts, ends = list(a["starts"]), list(a["ends"])
            axes = list(a.get("axes", range(len(starts))))
            steps = [1] * len(starts)
        else:
            starts, ends = ints(i[1]), ints(i[2])
            axes = ints(i[3]) if len(i) > 3 and i[3] is not None else list(range(len(starts)))
            steps = ints(i[4]) if len(i) > 4 and i[4] is not None else [1] * len(starts)
        x = i[0]
        idx = [slice(None)] * x.dim()
        for s, e, ax, st in zip(starts, ends, axes, steps):
            n_ = x.shape[ax]
            if st > 0:
                idx[ax] = slice(max(-n_, min(s, n_)), max(-n_ - 1, min(e, n_)), st)
            else:  # torch has no negative steps: pick the indices ONNX's clamping gives
                s = min(max(s + n_ if s < 0 else s, 0), n_ - 1)
                e = min(max(e + n_ if e < 0 else e, -1), n_ - 1)
                x = torch.index_select(x, ax % x.dim(), torch.arange(s, e, st, device=x.device))
        return [x[tuple(idx)]]
    raise ValueError("op %s is not supported by the PyTorch sidecar" % op)


class Body:
    """A graph or an If branch, prepared once: attributes parsed, Constant nodes and initializers already
    tensors on the device (parsing them on every run cost more than the arithmetic on small models)."""

    def __init__(self, g, dev, opset):
        self.dev, self.opset = dev, opset
        self.consts = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()).to(dev) for t in g.initializer}
        self.steps = []
        for n in g.node:
            if n.domain not in ("", "ai.onnx"):
                raise ValueError("custom op domain %s is not supported" % n.domain)
            a = attrs(n)
            if n.op_type == "Constant":
                if "value" not in a: raise ValueError("Constant without a tensor value is not supported")
                self.consts[n.output[0]] = torch.from_numpy(numpy_helper.to_array(a["value"]).copy()).to(dev)
                continue
            if n.op_type == "If":
                a = {k: Body(a[k], dev, opset) for k in ("then_branch", "else_branch")}
            self.steps.append((n, a))
        self.output_names = [o.name for o in g.output]

    def run(self, scope):
        v = dict(scope)
        v.update(self.consts)
        for n, a in self.steps:
            try:
                outs = run_node(n, a, v, self.opset, self.dev)
            except Exception as e:  # name the node: a bare torch error does not say where in the graph it arose
                if getattr(e, "node_named", False): raise
                err = ValueError("%s node %s: %s: %s" % (n.op_type, n.name or n.output[0], type(e).__name__, e))
                err.node_named = True
                raise err from e
            for name, t in zip(n.output, outs):
                if name: v[name] = t
        return [v[name] for name in self.output_names]


class Graph:
    def __init__(self, path, dev):
        m = onnx.load(path)
        self.opset = max([o.version for o in m.opset_import if o.domain in ("", "ai.onnx")] or [13])
        g = m.graph
        self.dev = dev
        self.body = Body(g, dev, self.opset)
        self.consts = self.body.consts
        self.inputs = [self.spec(x) for x in g.input if x.name not in self.consts]
        self.outputs = [self.spec(x) for x in g.output]

    @staticmethod
    def spec(x):
        t = x.type.tensor_type
        if t.elem_type not in NAMES:
            raise ValueError("%s: element type %d is not carried" % (x.name, t.elem_type))
        dims = [d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim]
        return {"name": x.name, "datatype": NAMES[t.elem_type], "shape": dims}

    @torch.inference_mode()
    def run(self, feeds):
        return list(zip(self.body.output_names, self.body.run(feeds)))


def read_exact(f, n):
    b = bytearray()
    while len(b) < n:
        chunk = f.read(n - len(b))
        if not chunk: raise EOFError
        b += chunk
    return bytes(b)


def write_frame(out, header, blobs):
    h = json.dumps(header).encode()
    out.write(struct.pack(">I", len(h)))
    out.write(h)
    for b in blobs: out.write(b)
    out.flush()


def main():
    args = sys.argv[1:]
    path = args[0]
    device = args[args.index("--device") + 1] if "--device" in args else "cuda:0"
    mem = int(args[args.index("--memory-bytes") + 1]) if "--memory-bytes" in args else 0
    stdout = sys.stdout.buffer
    try:
        dev = torch.device(device)
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError("torch %s sees no CUDA device" % torch.__version__)
        if dev.type == "cuda" and mem > 0:
            total = torch.cuda.get_device_properties(dev).total_memory
            torch.cuda.set_per_process_memory_fraction(min(1.0, mem / total), dev)
        graph = Graph(path, dev)
        name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "host CPU"
    except Exception as e:  # reported to Java, which falls back to CPU
        stdout.write((json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__, e)}) + "\n").encode())
        stdout.flush()
        return 1
    stdout.write((json.dumps({"ok": True, "device": "%s (%s, torch %s)" % (device, name, torch.__version__),
                              "inputs": graph.inputs, "outputs": graph.outputs}) + "\n").encode())
    stdout.flush()
    if "--check" in args:
        feeds = {s["name"]: torch.zeros([d if d >= 0 else 1 for d in s["shape"]], dtype=torch.from_numpy(np.zeros(1, NP[s["datatype"]])).dtype, device=dev)
                 for s in graph.inputs}
        print([(n, tuple(t.shape)) for n, t in graph.run(feeds)], file=sys.stderr)
        return 0
    stdin = sys.stdin.buffer
    while True:
        try:
            n = struct.unpack(">I", read_exact(stdin, 4))[0]
        except EOFError:
            return 0
        header = json.loads(read_exact(stdin, n))
        try:
            feeds = {}
            for t in header["inputs"]:
                dt = NP[t["datatype"]]
                count = int(np.prod(t["shape"])) if t["shape"] else 1
                arr = np.frombuffer(read_exact(stdin, count * np.dtype(dt).itemsize), dtype=np.dtype(dt).newbyteorder("<")).reshape(t["shape"])
                feeds[t["name"]] = torch.from_numpy(arr.astype(dt, copy=True)).to(dev, non_blocking=True)
            outs = graph.run(feeds)
            meta, blobs = [], []
            for name, t in outs:
                a = t.detach().to("cpu").numpy()
                dtname = {np.dtype(v): k for k, v in NP.items()}.get(a.dtype)
                if dtname is None:
                    a, dtname = a.astype(np.float32), "FP32"
                meta.append({"name": name, "datatype": dtname, "shape": list(a.shape)})
                blobs.append(a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes())
            write_frame(stdout, {"ok": True, "outputs": meta}, blobs)
        except Exception as e:
            write_frame(stdout, {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}, [])


if __name__ == "__main__":
    sys.exit(main())
