#!/usr/bin/env bash
# JMH benchmarks of the simulator: the request path (ModelServer arrivals + batching + dispatch) and a whole
# simulation run on a fixed synthetic workload. Prints ns per simulated request (medians of the iterations).
#   simulator/bench/run-jmh.sh              # -f 1 -wi 2 -i 3 (3 s warm-up, 5 s measurement iterations)
#   simulator/bench/run-jmh.sh -i 5 -r 10s  # any JMH flag passes through
set -euo pipefail
cd "$(dirname "$0")/../.."
cp_file=$(mktemp); trap 'rm -f "$cp_file"' EXIT
mvn -B -q -o install -pl simulator -am -DskipTests
mvn -B -q -o -pl simulator test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
java -Djava.awt.headless=true -cp "simulator/target/test-classes:simulator/target/classes:$(cat "$cp_file")" \
    io.prescale.simulator.bench.SimulatorBenchmarks "$@"
