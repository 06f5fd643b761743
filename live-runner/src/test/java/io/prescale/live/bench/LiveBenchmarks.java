package io.prescale.live.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the live runner's JMH benchmarks (default {@code -f 1 -wi 3 -i 5}, 2 s each; extra JMH flags pass
 * through) and prints, per request body, the median time of each way of reading it and their ratio.
 */
public final class LiveBenchmarks {
    private LiveBenchmarks() {}

    public static void main(String[] args) throws Exception {
        Options cli = new CommandLineOptions(args);
        Options opts = new OptionsBuilder().parent(cli)
                .include(TensorReadBenchmark.class.getSimpleName())
                .forks(cli.getForkCount().orElse(1))
                .warmupIterations(cli.getWarmupIterations().orElse(3))
                .measurementIterations(cli.getMeasurementIterations().orElse(5))
                .warmupTime(cli.getWarmupTime().orElse(TimeValue.seconds(2)))
                .measurementTime(cli.getMeasurementTime().orElse(TimeValue.seconds(2)))
                .jvmArgsPrepend("-XX:+UseParallelGC") // the launcher's collector
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, double[]> byBody = new TreeMap<>();
        for (RunResult r : results) {
            double median = r.getPrimaryResult().getStatistics().getPercentile(50);
            boolean baseline = r.getParams().getBenchmark().endsWith(".jsonParser");
            byBody.computeIfAbsent(r.getParams().getParam("body"), k -> new double[2])[baseline ? 0 : 1] = median;
        }
        System.out.println();
        System.out.println("request body        JSON parser      read ahead       speed-up (medians)");
        byBody.forEach((body, t) -> System.out.printf(Locale.ROOT, "%-18s %10.1f us %12.1f us %12.2fx%n", body, t[0], t[1], t[0] / t[1]));
    }
}
