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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A stop (kill -TERM) lets the requests in flight be answered and refuses new ones with 503, instead of resetting them. */
class DrainTest {
    @TempDir
    Path dir;

    @Test
    void requestsInFlightDuringAStopAreAnsweredAndNewOnesGet503WithRetryAfter() throws Exception {
        LiveHarness h = new LiveHarness(dir);
        try {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "\"minReplicas\":0,\"timeout\":\"60s\"")).statusCode()).isEqualTo(201);
            ModelServer affine = h.runtime.registry().get("affine").orElseThrow();
            // no replica: 16 clients' requests wait in the queue, in flight, until one is started again below
            affine.autoStartFromZero(false);
            affine.scaleTo(0);
            LiveHarness.await("no replica", Duration.ofSeconds(10), () -> affine.replicasReady() == 0);
            List<CompletableFuture<HttpResponse<String>>> clients = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String body = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[" + i + ",0,0,0]}}}";
                clients.add(h.http.sendAsync(HttpRequest.newBuilder(URI.create(h.url("/predict"))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            LiveHarness.await("16 requests queued", Duration.ofSeconds(10), () -> affine.queueDepth() == 16);

            CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> h.server.close(Duration.ofSeconds(30)));
            LiveHarness.await("the stop begun", Duration.ofSeconds(10), h.server::stopping);
            var refused = h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body()).contains("stopping");
            assertThat(stop).as("waits for the 16 in flight").isNotDone();
            assertThat(h.server.requestsInFlight()).isEqualTo(16);

            affine.scaleTo(1); // the queue is served
            assertThat(stop.get(30, TimeUnit.SECONDS)).as("every request in flight answered").isTrue();
            for (int i = 0; i < 16; i++) {
                HttpResponse<String> r = clients.get(i).get(30, TimeUnit.SECONDS); // no connection reset
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).contains("\"data\":[" + (2 * i + 1) + ".0"); // affine: 2x + 1
            }
        } finally {
            h.runtime.close();
        }
    }

    @Test
    void aStopWaitsNoLongerThanItsGracePeriod() throws Exception {
        LiveHarness h = new LiveHarness(dir);
        try {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "\"minReplicas\":0,\"timeout\":\"60s\"")).statusCode()).isEqualTo(201);
            ModelServer affine = h.runtime.registry().get("affine").orElseThrow();
            affine.autoStartFromZero(false);
            affine.scaleTo(0);
            LiveHarness.await("no replica", Duration.ofSeconds(10), () -> affine.replicasReady() == 0);
            var stuck = h.http.sendAsync(HttpRequest.newBuilder(URI.create(h.url("/predict")))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            LiveHarness.await("queued", Duration.ofSeconds(10), () -> affine.queueDepth() == 1);
            // nothing will answer it: the stop gives up after its grace period and says so
            assertThat(h.server.close(Duration.ofMillis(200))).isFalse();
            assertThat(stuck).failsWithin(Duration.ofSeconds(10));
        } finally {
            h.runtime.close();
        }
    }

    @Test
    void aDrainTimeoutWithoutAUnitIsRefusedNamingTheFlag() {
        io.prescale.live.cli.ServeCommand cmd = new io.prescale.live.cli.ServeCommand();
        new picocli.CommandLine(cmd).parseArgs("--port", "0", "--state", dir.resolve("state").toString(), "--drain-timeout", "5");
        org.assertj.core.api.Assertions.assertThatThrownBy(cmd::call).isInstanceOf(io.prescale.core.config.ConfigException.class)
                .hasMessageContaining("--drain-timeout");
    }
}
