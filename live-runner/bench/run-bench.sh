#!/usr/bin/env bash
# /predict (JSON) and /v2 infer with binary tensors vs a raw ONNX Runtime Java loop on the same model in the
# same run (the raw loop before and after the runner, averaged), the gain from dynamic batching, and the p50
# latency the runner adds at half load. Prints one block per model.
#
#   live-runner/bench/run-bench.sh [SECONDS]        (run from anywhere; needs Java 17 + Maven)
# Models: a generated batchable MLP (always), and the real Silero VAD and PaddleOCR classifier when
# live-runner/scripts/fetch-models.sh has put them in model-store/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-8}
store="$root/model-store"
cd "$root"
mvn -B -q -o install -pl live-runner -am -DskipTests
mvn -B -q -o -pl live-runner dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
cp="live-runner/target/classes:$(cat live-runner/target/bench-cp.txt)"
mkdir -p "$store/bench"
[[ -f "$store/bench/mlp-small.onnx" ]] || /usr/bin/python3 "$here/make-bench-model.py" "$store/bench/mlp-small.onnx" 256,1024,1024,256
[[ -f "$store/bench/mlp-large.onnx" ]] || /usr/bin/python3 "$here/make-bench-model.py" "$store/bench/mlp-large.onnx" 1024,2048,2048,1024
# the JVM flags the ./prescale launcher gives `serve` (ParallelGC unless PRESCALE_JAVA_OPTS says otherwise), so the runner is measured as shipped
run() { java ${PRESCALE_JAVA_OPTS:--XX:+UseParallelGC} -Xss4m -cp "$cp" io.prescale.live.bench.ThroughputBench --model-store "$store" --seconds "$secs" "$@"; echo; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -n 1)"
echo
run --file bench/mlp-large.onnx --input x=1,1024
run --file bench/mlp-small.onnx --input x=1,256
if [[ -f "$store/silero-vad/silero_vad.onnx" ]]; then
  run --file silero-vad/silero_vad.onnx --input input=1,512 --input state=2,1,128 --input sr=@16000
fi
if [[ -f "$store/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx" ]]; then
  run --file paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx --input x=1,3,48,192
fi
