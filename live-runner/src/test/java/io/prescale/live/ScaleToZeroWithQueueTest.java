package io.prescale.live;

import io.prescale.core.config.Yaml;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.ServeListener;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A scale to zero (a policy's evict) keeps one replica while requests are queued, so they are served, not left to time out. */
class ScaleToZeroWithQueueTest {
    @TempDir
    Path dir;

    private static final Map<String, Tensor> ROW = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 4}, new float[]{2, 0, 0, 0}));

    @Test
    void anEvictWithRequestsQueuedKeepsAReplicaUntilTheQueueIsServed() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        LinkedBlockingQueue<Runnable> loads = new LinkedBlockingQueue<>(); // the test runs each load when it chooses
        ModelRegistration reg = Yaml.json().readValue("{\"name\":\"m\",\"file\":\"affine.onnx\",\"minReplicas\":0,\"timeout\":\"60s\"}",
                ModelRegistration.class);
        ModelServer server = ModelServer.open(reg, store.resolve("affine.onnx"), loads::add, ServeListener.NONE, 0);
        try {
            server.autoStartFromZero(false); // no arrival restarts it: only the kept replica can serve the queue
            server.scaleTo(1);
            Runnable load = loads.poll(10, TimeUnit.SECONDS);
            List<CompletableFuture<Map<String, Tensor>>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) queued.add(server.submit(ROW, Optional.empty(), Optional.empty()));
            assertThat(server.queueDepth()).isEqualTo(3);
            // the policy evicts it while the three wait for the loading replica: before, the target went to 0, the load
            // closed its replica on arrival, and the three waited for their 60 s timeout
            assertThat(server.scaleTo(0)).isEqualTo(1);
            load.run();
            for (CompletableFuture<Map<String, Tensor>> f : queued)
                assertThat(((float[]) f.get(30, TimeUnit.SECONDS).values().iterator().next().data())[0]).isEqualTo(5f); // 2x + 1 at x = 2
            // the queue served, the next evict goes through
            assertThat(server.scaleTo(0)).isZero();
            LiveHarness.await("the replica closed", java.time.Duration.ofSeconds(10), () -> server.replicasReady() == 0);
        } finally {
            server.close();
        }
    }
}
