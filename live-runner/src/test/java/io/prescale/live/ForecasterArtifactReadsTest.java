package io.prescale.live;

import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.models.GbtFeatures;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy whose forecaster is a trained artifact reads that file once per change: once to check a posted policy,
 * once per activation (it was read four times: twice to validate, twice to activate). Counted with Flight Recorder's
 * file-read events: bytes read from the artifact over its size.
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
            Path real = artifact.toRealPath();

            assertThat(reads(real, () -> h.post("/policies", POLICY))).as("POST /policies").isEqualTo(1);
            assertThat(reads(real, () -> h.post("/policies/trained/activate", ""))).as("activate").isEqualTo(1);
            assertThat(reads(real, () -> h.put("/policies/trained", POLICY))).as("PUT of the active policy").isEqualTo(1);
            assertThat(h.get("/policies").body()).contains("\"active\":\"trained\"");
        }
    }

    /** Runs {@code call} (which must succeed) and returns how many times it read {@code file} whole. */
    private double reads(Path file, Supplier<HttpResponse<String>> call) throws IOException {
        Path jfr = dir.resolve("reads.jfr");
        long bytes = 0;
        try (Recording r = new Recording()) {
            r.enable("jdk.FileRead").withThreshold(Duration.ZERO);
            r.start();
            HttpResponse<String> answer = call.get();
            assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
            r.stop();
            r.dump(jfr);
        }
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr))
            if (file.toString().equals(e.getString("path")) && e.getLong("bytesRead") > 0) bytes += e.getLong("bytesRead");
        try {
            return bytes / (double) Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
