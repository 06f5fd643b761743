package io.prescale.live;

import io.prescale.core.config.Yaml;
import io.prescale.live.metrics.LiveMetrics;
import io.prescale.live.registry.LocalPool;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.registry.ModelRegistry;
import io.prescale.live.registry.ModelStore;
import io.prescale.live.registry.PoolFullException;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A scale-down (not to zero) stops a replica that may be running a batch: it holds its pool threads until its session
 * closes, as a removed model's do, so nothing else is placed on them meanwhile.
 */
class ScaleDownHoldsThePoolTest {
    @TempDir
    Path dir;

    private static final Map<String, Tensor> ROW = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 4}, new float[4]));

    private static ModelRegistration registration(String name) throws Exception {
        // one row per batch (the default): each queued request goes to a replica of its own
        return Yaml.json().readValue("{\"name\":\"" + name + "\",\"file\":\"affine.onnx\",\"minReplicas\":0,\"timeout\":\"60s\"}",
                ModelRegistration.class);
    }

    @Test
    void aReplicaScaledDownMidBatchHoldsItsThreadsUntilItCloses() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ModelRegistry registry = new ModelRegistry(dir.resolve("state"), new ModelStore(store), new LiveMetrics(), Runnable::run, 0.04, 10,
                new LocalPool.Capacity(2, List.of(), true)); // room for two 1-thread replicas
        CountDownLatch running = new CountDownLatch(2), release = new CountDownLatch(1);
        try {
            ModelServer a = registry.register(registration("a"));
            a.autoStartFromZero(false);
            a.scaleTo(0);
            LiveHarness.await("a at zero", Duration.ofSeconds(10), () -> a.replicasHeld() == 0);
            // two requests queued before any replica: each answer's callback runs on the replica's worker, mid-batch, and
            // holds it there until released (attached before a replica exists, so never run on this thread)
            List<CompletableFuture<Map<String, Tensor>>> queued = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CompletableFuture<Map<String, Tensor>> f = a.submit(ROW, Optional.empty(), Optional.empty());
                f.thenRun(() -> {
                    running.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                queued.add(f);
            }
            assertThat(registry.pool().scale(a, 2).placed()).isEqualTo(2);
            assertThat(running.await(30, TimeUnit.SECONDS)).as("both replicas mid-batch").isTrue();

            assertThat(registry.pool().scale(a, 1).placed()).isEqualTo(1); // one replica stopped, still in its batch
            // it holds its thread until it closes: 2 of 2 used, no room for b (before: 1 of 2, b placed on a thread still running a)
            assertThat(a.replicasHeld()).isEqualTo(2);
            assertThat(registry.pool().usage().cpuThreadsUsed()).isEqualTo(2);
            assertThatThrownBy(() -> registry.register(registration("b"))).isInstanceOf(PoolFullException.class);

            release.countDown(); // the batch ends, the stopped replica closes its session
            for (var f : queued) f.get(30, TimeUnit.SECONDS);
            LiveHarness.await("the stopped replica closed", Duration.ofSeconds(10), () -> a.replicasHeld() == 1);
            assertThat(a.replicasReady()).isEqualTo(1);
            assertThat(registry.register(registration("b")).replicasReady()).isEqualTo(1); // now it fits
            assertThat(registry.pool().usage().cpuThreadsUsed()).isEqualTo(2);
        } finally {
            release.countDown();
            registry.close();
        }
    }
}
