package io.prescale.live;

import io.prescale.core.config.Yaml;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.ServeListener;
import io.prescale.live.registry.ModelRegistration;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A removal (DELETE /models/{name}) drains requests queued for a replica that is still loading, instead of refusing them. */
class DrainWhileLoadingTest {
    @TempDir
    Path dir;

    private static final Map<String, Tensor> ROW = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 4}, new float[]{1, 0, 0, 0}));

    @Test
    void requestsQueuedForALoadingReplicaAreServedByItWhenTheModelIsRemoved() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        LinkedBlockingQueue<Runnable> loads = new LinkedBlockingQueue<>(); // the test runs each load when it chooses
        ModelRegistration reg = Yaml.json().readValue("{\"name\":\"m\",\"file\":\"affine.onnx\",\"minReplicas\":0,\"timeout\":\"60s\"}",
                ModelRegistration.class);
        ModelServer server = ModelServer.open(reg, store.resolve("affine.onnx"), loads::add, ServeListener.NONE, 0);
        server.autoStartFromZero(false);
        List<CompletableFuture<Map<String, Tensor>>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) queued.add(server.submit(ROW, Optional.empty(), Optional.empty()));
        assertThat(server.queueDepth()).isEqualTo(3);
        server.scaleTo(1); // a replica starts loading for them
        Runnable load = loads.poll(10, TimeUnit.SECONDS);
        assertThat(server.replicasStarting()).isEqualTo(1);

        AtomicBoolean drained = new AtomicBoolean();
        Thread removal = new Thread(() -> {
            try {
                drained.set(server.drain(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "removal");
        removal.start();
        // the removal waits for the load (it once answered the three 503 at once and returned)
        while (removal.getState() != Thread.State.TIMED_WAITING && removal.getState() != Thread.State.TERMINATED) Thread.onSpinWait();
        load.run(); // the replica finishes loading: it serves the queue, then stops
        removal.join();
        assertThat(drained).as("everything queued was served within the grace period").isTrue();
        for (CompletableFuture<Map<String, Tensor>> f : queued) {
            assertThat(f).isCompleted().isNotCompletedExceptionally();
            assertThat(((float[]) f.get().values().iterator().next().data())[0]).isEqualTo(3f); // affine: 2x + 1 at x = 1
        }
        assertThat(server.replicasReady()).isZero(); // and its replica was closed after
    }
}
