#!/usr/bin/env bash
# Sweep speed-up from 1 to 2 workers, as local threads and as Spark tasks (local[1] vs local[2]), on the
# same experiment in the same run. Prints each configuration's scenario wall time (sweep.json
# wallSeconds: the simulations, not the trace read) and the ratios; repeats R times, quote the medians.
#
#   simulator/bench/sweep-scaling.sh [SPEC] [REPEATS]     (default experiments/servegen.yaml, 3)
# (PRESCALE=path runs another launcher, e.g. one that skips the rebuild)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
spec=${1:-experiments/servegen.yaml}
reps=${2:-3}
cd "$root"
out=$(mktemp -d)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$reps"); do
  for cfg in "--workers 1" "--workers 2" "--master local[1]" "--master local[2]"; do
    name=$(echo "$cfg" | tr -cd 'a-z0-9')
    ${PRESCALE:-./prescale} sweep --spec "$spec" $cfg --out "$out/$r-$name" >/dev/null 2>&1 || [[ $? == 4 ]]
    python3 -c "import json,sys; print('$r', '$cfg', json.load(open('$out/$r-$name/sweep.json'))['wallSeconds'])"
  done
done | tee "$out/times.txt"
python3 - "$out/times.txt" <<'PY'
import sys, statistics as st
t = {}
for line in open(sys.argv[1]):
    r, *cfg, s = line.split()
    t.setdefault(" ".join(cfg), []).append(float(s))
m = {k: st.median(v) for k, v in t.items()}
for k, v in m.items(): print(f"median {k:18s} {v:7.1f} s")
print(f"threads: 1 -> 2 workers speed-up {m['--workers 1'] / m['--workers 2']:.2f}x")
print(f"Spark:   local[1] -> local[2] speed-up {m['--master local[1]'] / m['--master local[2]']:.2f}x")
print(f"Spark local[2] against 2 threads: {m['--master local[2]'] / m['--workers 2']:.2f}x the time")
PY
