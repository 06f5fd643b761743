package io.prescale.live;

import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.SeriesForecaster;
import io.prescale.live.registry.ModelRegistration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models registered and removed under ever new names: nothing the runner keeps per model name (forecaster series, the
 * loop's demand buckets, policy state, meters, history baselines, logged decisions) may outlive its model, or memory
 * grows without bound; and a model registered again under a removed one's name starts afresh.
 */
class ModelChurnTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
    final SeriesForecaster forecaster = ForecasterCatalog.create("holt-winters", Duration.ofMinutes(10), Map.of());
    LiveRuntime runtime;

    @BeforeEach
    void open() {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        runtime = LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.04, new TestPolicies(), id -> forecaster, clock));
        runtime.activate(new PolicyFile(PolicyFile.SCHEMA, "remember", "test.remembering", Map.of(), null));
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private void register(String name) throws Exception {
        runtime.register(Yaml.json().readValue("{\"name\":\"" + name + "\",\"file\":\"affine.onnx\",\"minReplicas\":0}", ModelRegistration.class));
    }

    /** Ticks through one whole 10-minute forecaster interval, so every model's demand reaches the forecaster. */
    private void tickThroughAnInterval() {
        runtime.control().tick(clock.advance(Duration.ofMinutes(10)));
        runtime.control().tick(clock.advance(Duration.ofSeconds(10)));
    }

    private TestPolicies.Remembering policy() {
        return (TestPolicies.Remembering) runtime.control().activePolicy().orElseThrow();
    }

    @Test
    void removedModelsLeaveNothingBehind() throws Exception {
        register("keeper");
        tickThroughAnInterval();
        runtime.recordHistory(clock.instant());
        int meters = runtime.metrics().registry().getMeters().size();
        for (int i = 0; i < 25; i++) {
            String name = "churn-" + i;
            register(name);
            tickThroughAnInterval();
            runtime.recordHistory(clock.instant());
            assertThat(forecaster.knows(name)).isTrue();
            assertThat(policy().ticks).containsKey(name);
            assertThat(runtime.registry().remove(name, Duration.ofSeconds(5))).isPresent();
        }
        tickThroughAnInterval();
        runtime.recordHistory(clock.instant());
        for (int i = 0; i < 25; i++) assertThat(forecaster.knows("churn-" + i)).as("forecaster series churn-" + i).isFalse();
        assertThat(forecaster.knows("keeper")).isTrue();
        assertThat(policy().ticks).containsOnlyKeys("keeper");
        assertThat(runtime.metrics().registry().getMeters()).hasSize(meters);
        assertThat(runtime.metrics().scrape()).doesNotContain("churn-");
        assertThat(runtime.history().remembered()).isEqualTo(1);
        // the sessions: the keeper's replica, and none of the 25 removed models' (each drained and closed its own)
        assertThat(io.prescale.live.onnx.OnnxReplica.openSessions(dir.resolve("store").resolve("affine.onnx").toRealPath())).isEqualTo(1);
    }

    @Test
    void aModelRegisteredAgainUnderARemovedOnesNameStartsAfresh() throws Exception {
        register("again");
        tickThroughAnInterval();
        assertThat(forecaster.knows("again")).isTrue();
        runtime.registry().remove("again", Duration.ofSeconds(5));
        register("again");
        assertThat(forecaster.knows("again")).isFalse();
        assertThat(policy().ticks).doesNotContainKey("again");
        runtime.control().tick(clock.advance(Duration.ofSeconds(10)));
        assertThat(policy().ticks).containsEntry("again", 1); // counting from its own first tick
    }

    @Test
    void aModelRemovedWhileItsMinuteWasRecordedLeavesNoHistoryBaseline() throws Exception {
        register("racer");
        var server = runtime.registry().get("racer").orElseThrow();
        runtime.registry().remove("racer", Duration.ofSeconds(5));
        runtime.history().forget("racer", server);
        // the minute's recorder took its list of models before the removal and writes the row after the forget
        runtime.history().record("racer", server, clock.instant(), new io.prescale.live.state.DemandHistory.Totals(0, 0, 0, 0, 0));
        assertThat(runtime.history().remembered()).isEqualTo(1);
        runtime.recordHistory(clock.instant().plusSeconds(60));
        assertThat(runtime.history().remembered()).isZero();
    }
}
