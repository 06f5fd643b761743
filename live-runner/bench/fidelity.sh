#!/usr/bin/env bash
# Simulator fidelity, repeated: the same azure-llm slice served live and simulated RUNS times, then the median
# error of each bar (p50, p95 latency <= 9 %, replica-hours <= 5 %). The model is a generated 6 ms MLP (made
# here if missing) under HPA at a low target, so both sides scale from one to four replicas per model.
#
#   live-runner/bench/fidelity.sh [RUNS]        (default 3; about 2 minutes a run; needs Java 17 + Maven)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
runs=${1:-3}
model=model-store/bench/mlp-xl.onnx
mkdir -p "$(dirname "$model")"
[[ -f "$model" ]] || /usr/bin/python3 "$here/make-bench-model.py" "$model" 1024,4096,4096,1024
out="runs/fidelity-bench/$(date -u +%Y%m%dT%H%M%SZ)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for i in $(seq 1 "$runs"); do
  echo "run $i of $runs"
  ./prescale fidelity --trace azure-llm --window 15m --speed 10 --model "$model" --input x=1,1024 --max-replicas 4 \
    --policy experiments/policies/hpa-fidelity.yaml --out "$out/run-$i" 2>&1 | grep -E '^(live|simulator|error|bars)'
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
errs = [json.load(open(f))["errors"] for f in sorted(glob.glob(sys.argv[1] + "/run-*/fidelity.json"))]
bars = {"p50": 0.09, "p95": 0.09, "replicaHours": 0.05}
print(f"medians of {len(errs)} runs (simulator vs live):")
for k, bar in bars.items():
    m = statistics.median(e[k] for e in errs)
    print(f"  {k:13s} {100 * m:+7.1f} %   bar {100 * bar:.0f} %   {'met' if abs(m) <= bar else 'not met'}"
          f"   (runs: {', '.join(f'{100 * e[k]:+.1f} %' for e in errs)})")
print("results:", sys.argv[1])
PY
