#!/usr/bin/env bash
# End-to-end simulator throughput: replays ServeGen at request level for one policy and prints simulated
# requests per second and the ratio to a bare primitive-heap event loop measured in the same run.
#   simulator/bench/servegen-throughput.sh [FROM] [TO] [RATE_SCALE] [MODEL_THREADS] [REPEATS]
#   defaults: one day (0d..1d) at full rate, 1 thread, 3 repeats (medians are printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
from=${1:-0d}; to=${2:-1d}; scale=${3:-1}; threads=${4:-1}; reps=${5:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
javac -d "$work" simulator/bench/BareEventLoop.java
./prescale --help >/dev/null
bare=(); sim=(); reqs=0
for i in $(seq "$reps"); do
  bare+=("$(java -cp "$work" BareEventLoop)")
  ./prescale simulate --trace servegen --from "$from" --to "$to" --rate-scale "$scale" --policies reactive.hpa \
      --seed 3 --model-threads "$threads" --out "$work/run" >/dev/null 2>&1
  read -r r s < <(python3 -c "import json;x=json.load(open('$work/run/summary.json'))['results'][0];print(x['requests'],x['simulatedRequestsPerSecond'])")
  reqs=$r; sim+=("$s")
done
python3 - "$reqs" "$threads" "${bare[*]}" "${sim[*]}" <<'PY'
import statistics, sys
reqs, threads = int(sys.argv[1]), int(sys.argv[2])
bare = [float(x) for x in sys.argv[3].split()]; sim = [float(x) for x in sys.argv[4].split()]
b, s = statistics.median(bare), statistics.median(sim)
print(f"requests per run      {reqs:,}")
print(f"bare loop (median)    {b/1e6:.2f} M events/s   runs: {', '.join(f'{x/1e6:.2f}' for x in bare)}")
print(f"simulator (median)    {s/1e6:.2f} M requests/s runs: {', '.join(f'{x/1e6:.2f}' for x in sim)}  ({threads} model thread(s))")
print(f"ratio sim / bare      {s/b:.2f}")
print(f"per core              {s/threads/1e6:.2f} M requests/s")
PY
