package io.prescale.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names a client chooses (models and policies that do not exist, versions, paths) are answered 404 and leave nothing
 * behind: no meter, no Prometheus series, no file. A series per name would grow /metrics and the heap with every name
 * a client cares to send.
 */
class UnknownNamesTest {
    @TempDir
    Path dir;

    @Test
    void unknownNamesAddNoMeterAndNoFile() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(201);
            int meters = h.runtime.metrics().registry().getMeters().size();
            long files;
            try (var all = java.nio.file.Files.walk(h.state)) {
                files = all.count();
            }
            for (int i = 0; i < 5; i++) {
                String n = "ghost" + i;
                assertThat(h.post("/predict", "{\"model\":\"" + n + "\",\"inputs\":{}}").statusCode()).isEqualTo(404);
                assertThat(h.post("/v2/models/" + n + "/infer", "{\"inputs\":[]}").statusCode()).isEqualTo(404);
                assertThat(h.get("/v2/models/" + n + "/ready").statusCode()).isEqualTo(404);
                assertThat(h.get("/v2/models/a/versions/" + n + "/ready").statusCode()).isEqualTo(404);
                assertThat(h.get("/models/" + n).statusCode()).isEqualTo(404);
                assertThat(h.delete("/models/" + n).statusCode()).isEqualTo(404);
                assertThat(h.get("/policies/" + n).statusCode()).isEqualTo(404);
                assertThat(h.post("/policies/" + n + "/activate", "").statusCode()).isEqualTo(404);
                assertThat(h.delete("/policies/" + n).statusCode()).isEqualTo(404);
                assertThat(h.get("/" + n).statusCode()).isEqualTo(404);
            }
            assertThat(h.runtime.metrics().registry().getMeters()).hasSize(meters);
            assertThat(h.get("/metrics").body()).doesNotContain("ghost");
            try (var all = java.nio.file.Files.walk(h.state)) {
                assertThat(all.count()).as("files under the state folder").isEqualTo(files);
            }
        }
    }
}
