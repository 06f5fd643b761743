package io.prescale.live;

import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;
import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.state.DemandHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A name's demand history outlives its model (training data). A model registered again under the name with the same
 * file is the same model and is warmed from all of it; one registered with another file is a new model, warmed only
 * from its own registration on.
 */
class ModelLineageTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    final Instant t0 = clock.instant();
    /** Warm-up intervals fed: {seconds after 10:00, count}. */
    final List<double[]> seen = new ArrayList<>();
    final Forecaster recorder = new Forecaster() {
        @Override public String id() { return "recorder"; }
        @Override public Duration interval() { return Duration.ofMinutes(10); }
        @Override public void observe(String s, Instant start, double count) { seen.add(new double[]{start.getEpochSecond() - t0.getEpochSecond(), count}); }
        @Override public Forecast forecast(String s, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
    };

    @Test
    void aNameRegisteredAgainIsWarmedFromItsPredecessorsHistoryOnlyWithTheSameFile() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        try (LiveRuntime rt = LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.04, new TestPolicies(), id -> recorder, clock))) {
            // 10:00-10:19 affine.onnx, 6 arrivals a minute; removed, registered again with affine.onnx: 10:20-10:29, 6 a minute
            minutes(rt, register(rt, "affine.onnx"), 20, 6);
            rt.registry().remove("m", Duration.ofSeconds(5));
            minutes(rt, register(rt, "affine.onnx"), 10, 6);
            // activated at 10:30: three complete 10-minute buckets of 10 x 6 = 60, the predecessor's two included
            activate(rt);
            assertThat(seen).containsExactly(new double[]{0, 60}, new double[]{600, 60}, new double[]{1200, 60});

            // removed, registered at 10:30 with another file (mlp.onnx): 10:30-10:39, 3 a minute
            rt.registry().remove("m", Duration.ofSeconds(5));
            minutes(rt, register(rt, "mlp.onnx"), 10, 3);
            // activated at 10:40: only its own bucket, 10 x 3 = 30; the rows before it stay on file (training data)
            seen.clear();
            activate(rt);
            assertThat(seen).containsExactly(new double[]{1800, 30});
            assertThat(rt.history().file("m", t0)).content().contains("2026-01-05T10:00:00Z,6,");
        }
    }

    @Test
    void aModelRestoredFromAStateFolderWithoutRegistrationsOwnsItsRows() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        Path state = dir.resolve("state");
        try (LiveRuntime rt = LiveRuntime.open(new LiveRuntime.Options(state, store, 0.04, new TestPolicies(), id -> recorder, clock))) {
            minutes(rt, register(rt, "affine.onnx"), 10, 6);
        }
        Files.delete(state.resolve("history/model=m/.registration")); // as a runner before registrations were recorded left it
        try (LiveRuntime rt = LiveRuntime.open(new LiveRuntime.Options(state, store, 0.04, new TestPolicies(), id -> recorder, clock))) {
            assertThat(rt.history().knowsRegistration("m")).isTrue(); // recorded at the restore: its rows are its own
            rt.registry().remove("m", Duration.ofSeconds(5));
            minutes(rt, register(rt, "mlp.onnx"), 10, 3);
            activate(rt);
            // 10:10-10:19 only: 10 x 3
            assertThat(seen).containsExactly(new double[]{600, 30});
        }
    }

    @Test
    void aNameServedAgainByAnEarlierFileIsWarmedFromThatFilesRowsOnly() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        try (LiveRuntime rt = LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.04, new TestPolicies(), id -> recorder, clock))) {
            // affine.onnx 10:00-10:09 (6 a minute), mlp.onnx 10:10-10:19 (3 a minute), affine.onnx again 10:20-10:29 (6 a minute)
            minutes(rt, register(rt, "affine.onnx"), 10, 6);
            rt.registry().remove("m", Duration.ofSeconds(5));
            minutes(rt, register(rt, "mlp.onnx"), 10, 3);
            rt.registry().remove("m", Duration.ofSeconds(5));
            minutes(rt, register(rt, "affine.onnx"), 10, 6);
            activate(rt);
            // activated at 10:30: affine's buckets 10 x 6 = 60 each; mlp's (10:10) is a gap in them, not 10 x 3
            assertThat(seen).hasSize(3);
            assertThat(seen.get(0)).containsExactly(0, 60);
            assertThat(seen.get(1)[0]).isEqualTo(600);
            assertThat(seen.get(1)[1]).isNaN();
            assertThat(seen.get(2)).containsExactly(1200, 60);
        }
    }

    private ModelServer register(LiveRuntime rt, String file) throws Exception {
        return rt.register(Yaml.json().readValue("{\"name\":\"m\",\"file\":\"" + file + "\",\"minReplicas\":0}", ModelRegistration.class));
    }

    /** Appends {@code n} minutes of {@code perMinute} arrivals for the model from the clock's minute on, advancing the clock past them. */
    private void minutes(LiveRuntime rt, ModelServer s, int n, int perMinute) {
        for (int i = 1; i <= n; i++) {
            rt.history().record("m", s, clock.instant(), new DemandHistory.Totals((long) perMinute * i, 0, 0, 0, 0));
            clock.advance(Duration.ofMinutes(1));
        }
    }

    private void activate(LiveRuntime rt) {
        rt.activate(new PolicyFile(PolicyFile.SCHEMA, "fixed", "test.fixed", Map.of("replicas", 0), null));
    }
}
