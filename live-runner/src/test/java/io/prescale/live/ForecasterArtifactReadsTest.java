package io.prescale.live;

import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.models.GbtFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy whose forecaster is a trained artifact reads that file once per change: once to check a posted policy,
 * once per activation (it was read four times: twice to validate, twice to activate). Counted by the one place that
 * reads artifacts ({@link Artifacts#reads}); Flight Recorder's file-read events, used before, now and then missed the
 * read of a request served on another thread on a loaded machine.
 */
class ForecasterArtifactReadsTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            schema: prescale.policy/v1
            name: trained
            policy: predictive.headroom
            params: {}
            forecaster: "gbt:artifact=gbt.json"
            """;

    @Test
    void aTrainedArtifactIsReadOncePerActivation() throws IOException {
        try (LiveHarness h = new LiveHarness(dir)) {
            Path artifact = h.store.resolve("gbt.json");
            Artifacts.write(artifact, new GbtArtifact(GbtArtifact.SCHEMA, "test", Instant.EPOCH, Duration.ofMinutes(10), 6, GbtFeatures.VERSION,
                    GbtFeatures.NAMES, List.of(), Map.of(), Map.of()));

            assertThat(reads(() -> h.post("/policies", POLICY))).as("POST /policies").isEqualTo(1);
            assertThat(reads(() -> h.post("/policies/trained/activate", ""))).as("activate").isEqualTo(1);
            assertThat(reads(() -> h.put("/policies/trained", POLICY))).as("PUT of the active policy").isEqualTo(1);
            assertThat(h.get("/policies").body()).contains("\"active\":\"trained\"");
        }
    }

    /** Runs {@code call} (which must succeed) and returns how many artifact files it read ({@link Artifacts#reads}). */
    private static long reads(Supplier<HttpResponse<String>> call) {
        long before = Artifacts.reads();
        HttpResponse<String> answer = call.get();
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
        return Artifacts.reads() - before;
    }
}
