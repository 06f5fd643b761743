package io.prescale.simulator.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;

/**
 * Runs the simulator's JMH benchmarks (default {@code -f 1 -wi 2 -i 3}; extra JMH flags pass through) and
 * prints ns per simulated request for both: the event loop alone and a whole simulation run.
 */
public final class SimulatorBenchmarks {
    private SimulatorBenchmarks() {}

    public static void main(String[] args) throws Exception {
        Options cli = new CommandLineOptions(args);
        Options opts = new OptionsBuilder().parent(cli)
                .include(EventLoopBenchmark.class.getSimpleName())
                .include(SimulationBenchmark.class.getSimpleName())
                .include(IrmDecisionBenchmark.class.getSimpleName())
                .forks(cli.getForkCount().orElse(1))
                .warmupIterations(cli.getWarmupIterations().orElse(2))
                .measurementIterations(cli.getMeasurementIterations().orElse(3))
                .warmupTime(cli.getWarmupTime().orElse(TimeValue.seconds(3)))
                .measurementTime(cli.getMeasurementTime().orElse(TimeValue.seconds(5)))
                .build();
        // counted first: every class is loaded before the (minutes-long) benchmark run
        long simRequests = SimulationBenchmark.requests("reactive.hpa");
        Collection<RunResult> results = new Runner(opts).run();
        System.out.println();
        System.out.println("benchmark                              score (median of iterations)");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.bench\\.", "");
            var stats = r.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50);
            if (name.startsWith("SimulationBenchmark")) {
                System.out.printf(Locale.ROOT, "%-38s %,.0f ns/run, %,d requests -> %.1f ns/request (%.2f M requests/s)%n",
                        name, median, simRequests, median / simRequests, simRequests / median * 1e3);
            } else if (name.startsWith("IrmDecisionBenchmark")) {
                System.out.printf(Locale.ROOT, "%-38s %.2f ms per control tick %s%n", name, median, r.getParams().getParam("models") + " models");
            } else {
                System.out.printf(Locale.ROOT, "%-38s %.1f ns/request (%.2f M requests/s)%n", name, median, 1e3 / median);
            }
        }
    }
}
