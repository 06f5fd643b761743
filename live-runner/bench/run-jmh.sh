#!/usr/bin/env bash
# JMH benchmarks of the live runner's request path: reading a /predict body's tensors with the JSON parser
# alone against the data arrays read ahead from the bytes (as the runner does). Prints medians and the ratio.
#   live-runner/bench/run-jmh.sh              # -f 1 -wi 3 -i 5, 2 s iterations
#   live-runner/bench/run-jmh.sh -i 10        # any JMH flag passes through
set -euo pipefail
cd "$(dirname "$0")/../.."
cp_file=$(mktemp); trap 'rm -f "$cp_file"' EXIT
mvn -B -q -o install -pl live-runner -am -DskipTests
mvn -B -q -o -pl live-runner test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
java -cp "live-runner/target/test-classes:live-runner/target/classes:$(cat "$cp_file")" io.prescale.live.bench.LiveBenchmarks "$@"
