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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A removed model's replicas still draining hold their pool threads until they close: a new registration cannot take them meanwhile. */
class DrainingReplicasHoldThePoolTest {
    @TempDir
    Path dir;

    private static final Map<String, Tensor> ROW = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 4}, new float[4]));

    private static ModelRegistration registration(String name) throws Exception {
        return Yaml.json().readValue("{\"name\":\"" + name + "\",\"file\":\"affine.onnx\",\"minReplicas\":0,\"timeout\":\"60s\","
                + "\"resources\":{\"cpuThreads\":2}}", ModelRegistration.class);
    }

    @Test
    void aRegistrationWaitsForTheThreadsOfAReplicaStillDraining() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        LinkedBlockingQueue<Runnable> loads = new LinkedBlockingQueue<>(); // the test runs each load when it chooses
        ModelRegistry registry = new ModelRegistry(dir.resolve("state"), new ModelStore(store), new LiveMetrics(), loads::add, 0.04, 10,
                new LocalPool.Capacity(2, List.of(), true)); // room for one 2-thread replica
        try {
            ModelServer a = registry.register(registration("a"));
            a.autoStartFromZero(false);
            a.scaleTo(0);
            // at zero once its replica has closed: a replica scaled down holds its threads until then
            LiveHarness.await("a at zero", Duration.ofSeconds(10), () -> a.replicasHeld() == 0);
            List<CompletableFuture<Map<String, Tensor>>> queued = new ArrayList<>();
            for (int i = 0; i < 2; i++) queued.add(a.submit(ROW, Optional.empty(), Optional.empty()));
            a.scaleTo(1); // a replica loads for the two queued: it holds the pool's 2 threads
            Runnable load = loads.poll(10, TimeUnit.SECONDS);
            AtomicReference<Object> removed = new AtomicReference<>();
            Thread removal = new Thread(() -> {
                try {
                    removed.set(registry.remove("a", Duration.ofSeconds(30)).orElseThrow());
                } catch (Throwable t) {
                    removed.set(t);
                }
            }, "removal");
            removal.start();
            while (removal.getState() != Thread.State.TIMED_WAITING && removal.getState() != Thread.State.TERMINATED) Thread.onSpinWait();
            assertThat(registry.get("a")).isEmpty();
            // the loading replica still holds its threads while a drains: b does not fit beside it (it was placed beside
            // it before, the pool's 2 threads held twice over)
            assertThat(registry.pool().usage().cpuThreadsUsed()).isEqualTo(2);
            assertThatThrownBy(() -> registry.register(registration("b"))).isInstanceOf(PoolFullException.class)
                    .hasMessageContaining("a (being removed) 1 x 2");
            load.run(); // a's replica serves the queue and closes
            removal.join();
            assertThat(removed.get()).isInstanceOfSatisfying(ModelRegistry.Removal.class, r -> assertThat(r.drained()).isTrue());
            for (var f : queued) assertThat(f).isCompleted().isNotCompletedExceptionally();
            LiveHarness.await("a's replica closed", Duration.ofSeconds(10), () -> registry.pool().usage().cpuThreadsUsed() == 0);
            assertThat(registry.register(registration("b")).replicasReady()).isEqualTo(1); // now it fits
        } finally {
            registry.close();
        }
    }
}
