package io.prescale.live;

import io.prescale.live.serve.ModelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadline admission counts only the work that would be served before a request: a critical request jumps the
 * low-priority queue, so low-priority work behind it must not make its deadline look unmeetable.
 */
class PriorityAdmissionTest {
    @TempDir
    Path dir;

    @Test
    void aDeadlineIsJudgedAgainstTheWorkOfEqualOrHigherPriorityOnly() {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("p", "affine.onnx",
                    "\"batching\":{\"maxBatch\":1,\"queueCapacity\":64},\"minReplicas\":0,\"maxReplicas\":1,\"timeout\":\"60s\"")).statusCode()).isEqualTo(201);
            // no replica while the queue fills (a policy holding 0 starts none on arrival), so nothing leaves it
            assertThat(h.post("/policies", "{\"name\":\"none\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":0}}").statusCode()).isEqualTo(201);
            assertThat(h.post("/policies", "{\"name\":\"one\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}").statusCode()).isEqualTo(201);
            assertThat(h.post("/policies/none/activate", "").statusCode()).isEqualTo(200);
            h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
            ModelServer p = h.runtime.registry().get("p").orElseThrow();
            LiveHarness.await("p scaled to zero", Duration.ofSeconds(10), () -> p.replicasReady() == 0 && p.replicasStarting() == 0);
            // the measured profile says a run takes 100 ms (1,000 runs of 100 ms outweigh any other reading)
            for (int i = 0; i < 1000; i++) p.latency().record(1, 0.1);
            List<CompletableFuture<HttpResponse<String>>> lows = new ArrayList<>();
            for (int i = 0; i < 40; i++) lows.add(send(h, body("low", null)));
            LiveHarness.await("40 low-priority requests queued", Duration.ofSeconds(10), () -> p.queueDepth() == 40);

            // 40 low rows (4 s) wait, but a critical request is taken before all of them: its own 100 ms plus starting a
            // replica (the measured load time: under a second for this model, the first load in a JVM included) fits 2,000 ms
            CompletableFuture<HttpResponse<String>> critical = send(h, body("critical", 2000));
            LiveHarness.await("critical queued", Duration.ofSeconds(10), () -> p.queueDepth() == 41 || critical.isDone());
            // a normal one likewise: the low work is behind it too (ahead of it: the critical row, 200 ms with its own)
            CompletableFuture<HttpResponse<String>> normal = send(h, body("normal", 2000));
            LiveHarness.await("normal queued", Duration.ofSeconds(10), () -> p.queueDepth() == 42 || critical.isDone() || normal.isDone());
            assertThat(critical.isDone()).as("critical admitted, not refused: " + (critical.isDone() ? critical.join().body() : "")).isFalse();
            assertThat(normal.isDone()).as("normal admitted, not refused: " + (normal.isDone() ? normal.join().body() : "")).isFalse();
            // another low one waits behind the 40 low rows and the 2 above: 4.3 s of work before its 2,000 ms deadline
            var low = h.post("/predict", body("low", 2000));
            assertThat(low.statusCode()).as(low.body()).isEqualTo(429);
            assertThat(low.body()).contains("deadline_unmeetable");

            assertThat(h.post("/policies/one/activate", "").statusCode()).isEqualTo(200);
            h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
            assertThat(critical.join().statusCode()).as(critical.join().body()).isEqualTo(200);
            assertThat(normal.join().statusCode()).as(normal.join().body()).isEqualTo(200);
            for (var f : lows) assertThat(f.join().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRequestsOwnRowsAreEstimatedAsTheOneBatchTheyRunIn() {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("p", "affine.onnx",
                    "\"batching\":{\"maxBatch\":1,\"queueCapacity\":64},\"minReplicas\":1,\"maxReplicas\":1,\"timeout\":\"60s\"")).statusCode()).isEqualTo(201);
            ModelServer p = h.runtime.registry().get("p").orElseThrow();
            // measured: 1 row in 100 ms, 1,000 rows in 200 ms (base 99.9 ms + 0.1 ms a row)
            for (int i = 0; i < 1000; i++) {
                p.latency().record(1, 0.1);
                p.latency().record(1000, 0.2);
            }
            // a request's rows run as one batch whatever maxBatch says (it bounds what is joined, a request is not split):
            // 1,000 rows take about 200 ms, within 5,000 ms. Estimated as 1,000 batches of one row (100 s) it was refused.
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 4000; i++) data.append(i == 0 ? "" : ",").append(i % 7);
            var r = h.post("/predict", "{\"model\":\"p\",\"deadlineMs\":5000,\"inputs\":{\"x\":{\"shape\":[1000,4],\"data\":[" + data + "]}}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // and a deadline the batch cannot meet is still refused up front, naming the estimate
            var tooShort = h.post("/predict", "{\"model\":\"p\",\"deadlineMs\":50,\"inputs\":{\"x\":{\"shape\":[1000,4],\"data\":[" + data + "]}}}");
            assertThat(tooShort.statusCode()).as(tooShort.body()).isEqualTo(422);
            assertThat(tooShort.body()).contains("needs about 200 ms for this request's 1000 rows");
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(LiveHarness h, String body) {
        return h.http.sendAsync(HttpRequest.newBuilder(URI.create(h.url("/predict"))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String body(String priority, Integer deadlineMs) {
        return "{\"model\":\"p\",\"priority\":\"" + priority + "\"" + (deadlineMs == null ? "" : ",\"deadlineMs\":" + deadlineMs)
                + ",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}";
    }
}
