package io.prescale.live;

import io.prescale.core.config.Yaml;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.ServeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replica-seconds (what {@code prescale_replica_seconds_total} and {@code prescale_cost_usd_total} count) are a running
 * total: a replica's time is charged up to the moment it goes, and the total never goes down.
 */
class ReplicaSecondsTest {
    @TempDir
    Path dir;

    private ModelServer open() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ModelRegistration reg = Yaml.json().readValue("{\"name\":\"m\",\"file\":\"affine.onnx\",\"minReplicas\":0,\"maxReplicas\":2}",
                ModelRegistration.class);
        return ModelServer.open(reg, store.resolve("affine.onnx"), Runnable::run, ServeListener.NONE, 1);
    }

    @Test
    void aReplicaScaledDownKeepsTheSecondsItHeld() throws Exception {
        ModelServer server = open();
        try {
            double held = server.replicaSeconds();
            assertThat(held).as("one replica held since it was opened").isPositive();
            server.scaleTo(0);
            // the removal was booked after the replica left the count: the seconds since the last change went uncharged,
            // and the counter fell back to 0
            assertThat(server.replicaSeconds()).isGreaterThanOrEqualTo(held);
        } finally {
            server.close();
        }
    }

    @Test
    void aDrainedModelKeepsTheSecondsItsReplicasHeld() throws Exception {
        ModelServer server = open();
        double held = server.replicaSeconds();
        assertThat(held).isPositive();
        assertThat(server.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(server.replicasReady()).isZero();
        assertThat(server.replicaSeconds()).isGreaterThanOrEqualTo(held);
    }
}
