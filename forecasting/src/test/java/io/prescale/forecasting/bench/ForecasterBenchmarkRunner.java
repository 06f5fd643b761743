package io.prescale.forecasting.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the JMH benchmark only with {@code -Pbench} (see docs/forecasting.md); CI never does. */
class ForecasterBenchmarkRunner {
    @Test
    @EnabledIfSystemProperty(named = "prescale.bench", matches = "true")
    void run() throws Exception {
        Options opt = new OptionsBuilder().include(ForecasterBenchmark.class.getSimpleName())
                .param("id", "seasonal-naive", "holt-winters", "arima", "prophet-style", "gbt", "ensemble")
                // 4 warm-up iterations: with five members' code to compile, the ensemble is still
                // speeding up in the third (on a 2-core machine the JIT shares the cores)
                .forks(1).warmupIterations(4).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xss4m").build();
        Collection<RunResult> results = new Runner(opt).run();
        assertThat(results).hasSize(12);
        // lstm refits (a DJL training run of 0.2-1 s) once a day of ticks: iterations long enough to hold several
        Options lstm = new OptionsBuilder().include(ForecasterBenchmark.class.getSimpleName())
                .param("id", "lstm").param("interval", "10m")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(5))
                .measurementIterations(3).measurementTime(TimeValue.seconds(8))
                .jvmArgsAppend("-Xss4m", "-Dai.djl.offline=true").build();
        assertThat(new Runner(lstm).run()).hasSize(1);
    }
}
