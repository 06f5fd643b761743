package io.prescale.live;

import io.prescale.live.serve.ModelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Open-loop load at twice one replica's measured capacity for a bounded time: the queue never holds more
 * than its capacity, the excess is answered 429 with Retry-After (never 5xx), and what is admitted is served.
 */
class OverloadTest {
    @TempDir
    Path dir;

    @Test
    void twiceCapacityGets429sWithRetryAfterAndABoundedQueue() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            int capacity = 8;
            var reg = h.post("/models", LiveHarness.register("slow", "slow.onnx",
                    "\"batching\":{\"maxBatch\":1,\"queueCapacity\":" + capacity + "},\"minReplicas\":1,\"maxReplicas\":1,\"timeout\":\"30s\""));
            assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
            ModelServer slow = h.runtime.registry().get("slow").orElseThrow();
            // calibrate: service time of one run, measured on this machine now
            for (int i = 0; i < 5; i++) assertThat(h.post("/predict", body(i)).statusCode()).isEqualTo(200);
            double service = slow.latency().means().get(1);
            long periodMicros = Math.max(200, (long) (service * 1e6 / 2)); // 2x capacity
            int total = (int) Math.max(60, Math.min(400, 1.5 / (periodMicros / 1e6))); // about 1.5 s of offered load
            List<CompletableFuture<HttpResponse<String>>> sent = new CopyOnWriteArrayList<>();
            AtomicInteger maxQueue = new AtomicInteger();
            AtomicInteger n = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            pacer.scheduleAtFixedRate(() -> {
                int i = n.getAndIncrement();
                if (i >= total) {
                    done.countDown();
                    return;
                }
                maxQueue.accumulateAndGet(slow.queueDepth(), Math::max);
                sent.add(h.http.sendAsync(HttpRequest.newBuilder(URI.create(h.url("/predict"))).POST(HttpRequest.BodyPublishers.ofString(body(i))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            pacer.shutdownNow();
            int ok = 0, tooMany = 0;
            for (var f : sent) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
                if (r.statusCode() == 200) ok++;
                else {
                    tooMany++;
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    assertThat(r.body()).contains("\"error\"");
                }
            }
            assertThat(ok + tooMany).isEqualTo(total);
            assertThat(tooMany).as("excess refused").isPositive();
            assertThat(ok).as("admitted work served").isGreaterThan(capacity);
            assertThat(maxQueue.get()).as("queue depth never above its capacity").isLessThanOrEqualTo(capacity);
            assertThat(slow.totalDropped()).isEqualTo(tooMany);
            LiveHarness.await("queue drained", Duration.ofSeconds(10), () -> slow.queueDepth() == 0);
            assertThat(h.get("/metrics").body()).contains("prescale_rejections_total{model=\"slow\",reason=\"queue_full\"} " + (double) slow.totalDropped());
            assertThat(h.post("/predict", body(0)).statusCode()).as("still serving").isEqualTo(200);
        }
    }

    private static String body(int i) {
        return "{\"model\":\"slow\",\"inputs\":{\"x\":{\"shape\":[1,1],\"data\":[" + i + "]}}}";
    }
}
