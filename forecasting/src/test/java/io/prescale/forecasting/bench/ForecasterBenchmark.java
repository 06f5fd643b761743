package io.prescale.forecasting.bench;

import io.prescale.core.forecast.Forecast;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.SeriesForecaster;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.models.GbtFeatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One control tick for one series: observe the interval that just ended, then forecast 30 minutes
 * ahead. The series cycles through 28 days of noisy daily/weekly demand, so the models' daily refits
 * happen inside the measurement and are amortised into the figure, as in a long simulation.
 * {@code lstm} is measured at 10-minute intervals only ({@link ForecasterBenchmarkRunner}): its daily
 * refit is a DJL/PyTorch training run, and at 1-minute intervals the warm-up week alone takes minutes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForecasterBenchmark {
    @Param({"seasonal-naive", "holt-winters", "arima", "prophet-style", "gbt", "lstm", "ensemble"})
    public String id;

    @Param({"10m", "1m"})
    public String interval;

    private SeriesForecaster f;
    private double[] values;
    private Duration step;
    private int t;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        step = interval.equals("1m") ? Duration.ofMinutes(1) : Duration.ofMinutes(10);
        int perDay = (int) (Duration.ofDays(1).toMinutes() / step.toMinutes());
        Random r = new Random(1);
        values = new double[28 * perDay];
        for (int i = 0; i < values.length; i++) {
            double day = Math.sin(2 * Math.PI * i / perDay), week = Math.sin(2 * Math.PI * i / (7.0 * perDay));
            values[i] = Math.max(0, 1000 * (1 + 0.5 * day + 0.2 * week) * (1 + 0.1 * r.nextGaussian()));
        }
        Map<String, Object> params = Map.of();
        if (id.equals("gbt") || id.equals("ensemble")) {
            Path a = Files.createTempFile("bench-gbt", ".json");
            a.toFile().deleteOnExit();
            Artifacts.write(a, randomForest(step, new Random(2)));
            params = id.equals("gbt") ? Map.of("artifact", a.toString()) : Map.of("gbtArtifact", a.toString());
        }
        f = ForecasterCatalog.create(id, step, params);
        for (t = 0; t < 8 * perDay; t++) f.observe("m", at(t), values[t]);  // a warm week of history
    }

    private Instant at(int i) {
        return Instant.EPOCH.plus(step.multipliedBy(i));
    }

    @Benchmark
    public Forecast observeAndForecast() {
        f.observe("m", at(t), values[t % values.length]);
        t++;
        return f.forecast("m", at(t), Duration.ofMinutes(30));
    }

    /** 25 full trees of depth 5 on the gbt features: the size `prescale forecast train` produces. */
    static GbtArtifact randomForest(Duration step, Random r) {
        List<GbtArtifact.Tree> trees = new ArrayList<>();
        int nodes = 63;
        for (int k = 0; k < 25; k++) {
            int[] feat = new int[nodes], left = new int[nodes], right = new int[nodes];
            double[] thr = new double[nodes], val = new double[nodes];
            for (int i = 0; i < nodes; i++) {
                boolean leaf = 2 * i + 2 >= nodes;
                feat[i] = leaf ? -1 : r.nextInt(GbtFeatures.NAMES.size());
                left[i] = leaf ? -1 : 2 * i + 1;
                right[i] = leaf ? -1 : 2 * i + 2;
                thr[i] = r.nextGaussian() * 0.3;
                val[i] = r.nextGaussian() * 0.01;
            }
            trees.add(new GbtArtifact.Tree(k == 0 ? 1 : 0.1, feat, thr, left, right, val));
        }
        return new GbtArtifact(GbtArtifact.SCHEMA, "bench", Instant.EPOCH, step, 12, GbtFeatures.VERSION, GbtFeatures.NAMES, trees, Map.of(), Map.of());
    }
}
