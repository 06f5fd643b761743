#!/usr/bin/env bash
# The live runner's GPU checks, in one call on the lent GPU machine (CUDA 13, PyTorch, onnx, CPU-only
# onnxruntime; no Java, no network). Prepare here first:  live-runner/gpu/build-bundle.sh
# then run from the project root there, carrying live-runner/gpu/bundle.tar.xz:
#   bash live-runner/gpu/run-gpu-checks.sh            (results: $OUT/gpu-results.md, logs in $OUT)
# Checks: (1) the machine; (2) the PyTorch sidecar's ONNX interpreter on the GPU against ONNX Runtime CPU,
# per model; (3) the Java runner's fallback message when ONNX Runtime's CUDA provider cannot load;
# (4) two models on one GPU through the sidecar, each process capped (gpuMemoryMb), answers equal to the
# CPU replica's; (5) the CPU request path on a machine with cores to spare; (6) /predict on GPU replicas.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
R="$OUT/gpu-results.md"
SECS=${SECS:-3}
log() { echo "$*" | tee -a "$R"; }
section() { log ""; log "## $*"; log ""; }
work=$(mktemp -d)
: > "$R"
log "# live-runner GPU checks ($(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"

section "1. machine"
nvidia-smi -L 2>&1 | tee -a "$R"
python3 -c 'import torch, onnx, onnxruntime, numpy; print("python", __import__("sys").version.split()[0], "| torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), "| onnx", onnx.__version__, "| onnxruntime", onnxruntime.__version__, onnxruntime.get_available_providers())' 2>&1 | tee -a "$R"
tar -xJf live-runner/gpu/bundle.tar.xz -C "$work" || { log "no bundle: run live-runner/gpu/build-bundle.sh first and carry live-runner/gpu/bundle.tar.xz"; exit 1; }
JAVA="$work/bundle/jre/bin/java"
CP="$work/bundle/lib/*"
"$JAVA" -version 2>&1 | head -n 1 | tee -a "$R"

store="$work/store"
mkdir -p "$store/bench" "$store/real"
cp live-runner/src/test/resources/onnx/*.onnx "$store/"
cp "$work/bundle/models/"*.onnx "$store/real/" 2>/dev/null
python3 live-runner/bench/make-bench-model.py "$store/bench/mlp-large.onnx" 1024,2048,2048,1024
python3 live-runner/bench/make-bench-model.py "$store/bench/mlp-small.onnx" 256,1024,1024,256

section "2. PyTorch sidecar vs ONNX Runtime CPU (same inputs)"
python3 live-runner/gpu/check_sidecar.py "$store" --device cuda:0 2>&1 | tee -a "$R"

port() { grep -o 'http://127.0.0.1:[0-9]*' "$1" | head -n 1 | sed 's/.*://'; }
start_serve() {  # $1 log file, $2 state dir; extra env before the call
  "$JAVA" -cp "$CP" io.prescale.live.cli.ServeCommand --port 0 --state "$2" --model-store "$store" >"$1" 2>&1 &
  echo $! > "$1.pid"
  for _ in $(seq 1 120); do [[ -n $(port "$1") ]] && break; sleep 0.25; done
  port "$1"
}
stop_serve() { kill "$(cat "$1.pid")" 2>/dev/null; wait "$(cat "$1.pid")" 2>/dev/null; }
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

section "3. ONNX Runtime CUDA provider from Java (CPU build): the fallback message"
p=$(start_serve "$OUT/serve-fallback.log" "$work/state-fallback")
curl -s -XPOST "localhost:$p/models" -d '{"name":"affine","file":"affine.onnx","resources":{"gpuMemoryMb":256}}' > "$OUT/fallback.json"
log "device reported: $(j 'd.get("device", d)' < "$OUT/fallback.json")"
stop_serve "$OUT/serve-fallback.log"

section "4. two models sharing the GPU through the sidecar (PRESCALE_TORCH_PYTHON=python3)"
export PRESCALE_TORCH_PYTHON=python3
p=$(start_serve "$OUT/serve-gpu.log" "$work/state-gpu")
for spec in 'large-gpu bench/mlp-large.onnx 2048' 'small-gpu bench/mlp-small.onnx 1024' 'large-cpu bench/mlp-large.onnx 0'; do
  set -- $spec
  curl -s -XPOST "localhost:$p/models" -d "{\"name\":\"$1\",\"file\":\"$2\",\"resources\":{\"gpuMemoryMb\":$3,\"cpuThreads\":4},\"batching\":{\"maxBatch\":32}}" > "$OUT/reg-$1.json"
  log "$1: $(j '(d.get("device"), d.get("measured",{}).get("loadTimeMs"), d.get("error"))' < "$OUT/reg-$1.json")"
done
body=$(python3 -c 'import json,random; random.seed(3); print(json.dumps({"inputs":{"x":{"shape":[4,1024],"data":[random.random() for _ in range(4096)]}}}))')
for m in large-gpu large-cpu; do
  echo "$body" | python3 -c "import json,sys; d=json.load(sys.stdin); d['model']='$m'; print(json.dumps(d))" \
    | curl -s -XPOST "localhost:$p/predict" --data-binary @- > "$OUT/out-$m.json"
done
python3 - "$OUT/out-large-gpu.json" "$OUT/out-large-cpu.json" <<'PY' 2>&1 | tee -a "$R"
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
if "outputs" not in a or "outputs" not in b: print("predict failed:", str(a)[:300], str(b)[:300]); sys.exit(0)
x, y = a["outputs"]["y"]["data"], b["outputs"]["y"]["data"]
print("GPU vs CPU replica, same 4x1024 request: max|diff| = %.3e over %d values" % (max(abs(p - q) for p, q in zip(x, y)), len(x)))
PY
nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv 2>&1 | tee -a "$R"
curl -s "localhost:$p/metrics" | grep -E '^prescale_(replicas|model_load_seconds_(sum|count))\{' | tee -a "$R"
stop_serve "$OUT/serve-gpu.log"

bench() {  # ThroughputBench lines only; extra JVM flags in $JFLAGS (none by default)
  "$JAVA" -XX:+UseParallelGC -Xss4m ${JFLAGS:-} -cp "$CP" io.prescale.live.bench.ThroughputBench --model-store "$store" --seconds "$SECS" "$@" 2>/dev/null \
    | grep -Ev '^(SLF4J|#|$)' | tee -a "$R"
}
silero=(--file real/silero_vad.onnx --input input=1,512 --input state=2,1,128 --input sr=@16000)
paddle=(--file real/ch_ppocr_mobile_v2.0_cls_infer.onnx --input x=1,3,48,192)

section "5. the CPU request path with cores to spare: one replica, 1 intra-op thread (as the 2-core tables)"
log '```'
bench --file bench/mlp-small.onnx --input x=1,256
bench "${silero[@]}"
bench "${paddle[@]}"
log "-- the same PaddleOCR run with the JSON read-ahead off (-Dprescale.readAhead=false):"
JFLAGS="-Dprescale.readAhead=false" bench "${paddle[@]}"
log '```'

section "6. /predict on GPU replicas (sidecar), 4 threads; the raw loop runs on the same GPU"
log '```'
bench --file bench/mlp-large.onnx --input x=1,1024 --threads 4 --max-batch 32 --batch-concurrency 64 --gpu-memory-mb 2048
bench "${paddle[@]}" --threads 4 --max-batch 32 --batch-concurrency 64 --gpu-memory-mb 2048
bench "${silero[@]}" --threads 4 --gpu-memory-mb 1024
log '```'
log ""
log "done; logs in $OUT"
