package io.prescale.live;

import io.prescale.core.config.Yaml;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.Rejection;
import io.prescale.live.serve.ServeListener;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch run that fails is no service time: it once went into the measured profile, so runs that failed fast pulled the
 * estimate deadline admission works from down, letting in requests that then missed.
 */
class FailedRunProfileTest {
    @TempDir
    Path dir;

    /** vadlike's x [1, L] with state [2, 1, 4]: its reflect pad by 2 needs L >= 3, so L = 1 fails inside ONNX Runtime. */
    private static Map<String, Tensor> input(int length) {
        return Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, length}, new float[length]),
                "state", new Tensor("state", ElementType.FP32, new long[]{2, 1, 4}, new float[8]));
    }

    @Test
    void failedRunsAreNotMeasuredAsServiceTime() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ModelRegistration reg = Yaml.json().readValue("{\"name\":\"vad\",\"file\":\"vadlike.onnx\",\"minReplicas\":1}", ModelRegistration.class);
        ModelServer server = ModelServer.open(reg, store.resolve("vadlike.onnx"), Runnable::run, ServeListener.NONE, 1);
        try {
            double before = server.latency().totals(1)[0]; // single-row runs measured so far (the warm-up's, if any)
            for (int i = 0; i < 3; i++) {
                var failed = server.submit(input(1), Optional.empty(), Optional.empty());
                assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(Rejection.class).extracting(e -> ((Rejection) e).kind()).isEqualTo(Rejection.Kind.RUN_FAILED);
            }
            // three failed runs: none measured (before, three more single-row runs, each as fast as the failure was)
            assertThat(server.latency().totals(1)[0]).isEqualTo(before);

            server.submit(input(3), Optional.empty(), Optional.empty()).get(30, TimeUnit.SECONDS);
            assertThat(server.latency().totals(1)[0]).as("an answered run is measured").isEqualTo(before + 1);
        } finally {
            server.close();
        }
    }
}
