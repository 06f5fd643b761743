package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.prescale.live.onnx.Replica;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up run after a load: on an input the model takes, and never taken for a measured latency. */
class WarmUpTest {
    @TempDir
    Path dir;

    @Test
    void theWarmUpRunIsNotALatencyMeasurementOnlyRequestsAre() {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
            JsonNode measured = LiveApiTest.json(h.get("/models/affine")).path("measured");
            assertThat(measured.path("warmUp").asText()).isEqualTo("ran on zeros of x[1, 4]");
            // loaded and warmed, no request yet: nothing measured, so admission and the policies see no latency yet
            assertThat(measured.path("batchSeconds").size()).as(measured.toString()).isZero();
            assertThat(measured.has("latencyProfile")).as(measured.toString()).isFalse();
            assertThat(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
            measured = LiveApiTest.json(h.get("/models/affine")).path("measured");
            assertThat(measured.path("batchSeconds").has("1")).as(measured.toString()).isTrue();
            assertThat(h.runtime.registry().get("affine").orElseThrow().latency().totals(1)[0]).as("one run measured: the request's").isEqualTo(1);
        }
    }

    @Test
    void aModelThatPadsAFreeLengthWarmsOnALongerInputWithItsBatchDimensionsAgreeing() {
        // vadlike: reflect-pads x [N, L] by 2 (L >= 3 needed: all ones failed, as Silero VAD's warm-up did) and concatenates
        // state [2, N, 4] summed over axis 0 (the two N must agree: a length of 128 in state's second place would fail)
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("vad", "vadlike.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(LiveApiTest.json(h.get("/models/vad")).path("measured").path("warmUp").asText())
                    .isEqualTo("ran on zeros of x[1, 128], state[2, 1, 4]");
            var r = h.post("/predict", "{\"model\":\"vad\",\"inputs\":{\"x\":{\"shape\":[1,3],\"data\":[1,2,3]},"
                    + "\"state\":{\"shape\":[2,1,4],\"data\":[1,1,1,1,2,2,2,2]}}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // reflect pad 2 of [1, 2, 3] is [3, 2, 1, 2, 3, 2, 1]; the state summed over its first axis is [3, 3, 3, 3]
            assertThat(LiveApiTest.json(r).path("outputs").path("y").path("data").toString()).isEqualTo("[3.0,2.0,1.0,2.0,3.0,2.0,1.0,3.0,3.0,3.0,3.0]");
        }
    }

    @Test
    void warmUpShapesGiveTrailingFreeDimensionsALengthAndEveryOtherFreeDimensionOne() {
        // the real models' signatures (-1 where symbolic): Silero VAD's input and state, PaddleOCR's classifier and recogniser
        assertThat(Replica.warmUpShape(new long[]{-1, -1}, 128)).containsExactly(1, 128);
        assertThat(Replica.warmUpShape(new long[]{2, -1, 128}, 128)).containsExactly(2, 1, 128);
        assertThat(Replica.warmUpShape(new long[]{}, 128)).isEmpty();
        assertThat(Replica.warmUpShape(new long[]{-1, 3, -1, -1}, 128)).containsExactly(1, 3, 128, 128);
        assertThat(Replica.warmUpShape(new long[]{-1, 3, 48, -1}, 128)).containsExactly(1, 3, 48, 128);
        assertThat(Replica.warmUpShape(new long[]{-1, 4}, 128)).containsExactly(1, 4);
        assertThat(Replica.warmUpShape(new long[]{-1, 3, -1, -1}, 1)).containsExactly(1, 3, 1, 1);
    }
}
