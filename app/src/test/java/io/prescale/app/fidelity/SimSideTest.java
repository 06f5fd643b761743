package io.prescale.app.fidelity;

import io.prescale.core.config.PolicyFile;
import io.prescale.datasets.SharedTraces;
import io.prescale.live.registry.ModelRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated half replays exactly the plan's requests: the live half sends every one of them. */
class SimSideTest {

    @Test
    void aTraceThatEndsInsideTheWindowKeepsItsLastRequestOnTheSimulatedSide(@TempDir Path dir) throws IOException {
        // three requests 30 s apart and nothing after: the 2-minute window ends with the trace, at the last request
        Path f = dir.resolve("requests.csv");
        Files.writeString(f, """
                timestamp,model
                2024-01-01T00:00:00Z,a
                2024-01-01T00:00:30Z,a
                2024-01-01T00:01:00Z,a
                """);
        var src = SharedTraces.resolve("requests-csv:" + f, (Path) null);
        ArrivalPlan plan = ArrivalPlan.read(src, Duration.ZERO, Duration.ofMinutes(2), 10, 1, new ModelMapping(Map.of(), 4), 1000);
        // 60 s of trace at 10x: 6 s, and the last request is due at its very end
        assertThat(plan.wallSeconds()).isEqualTo(6.0);
        assertThat(plan.arrivals()).extracting(ArrivalPlan.Arrival::offsetSeconds).containsExactly(0.0, 3.0, 6.0);

        ModelRegistration reg = new ModelRegistration("a", "mlp.onnx", new ModelRegistration.Resources(1, 0L, 0),
                new ModelRegistration.Batching(1, Duration.ofMillis(2), 256), new ModelRegistration.SloSpec(Duration.ofMillis(200), 0.99),
                Duration.ofSeconds(10), "normal", 1, 2);
        MeasuredProfile profile = new MeasuredProfile(0.001, 0.0, 0.1, 1, Map.of(1, 0.001), "cpu", "");
        var result = SimSide.run(plan, Map.of("a", SimSide.spec("a", reg, profile, 0)), 1,
                new PolicyFile(null, "fidelity", "reactive.hpa", Map.of(), null), 1, 0);
        assertThat(result.totals().requests()).isEqualTo(plan.arrivals().size());
        assertThat(result.totals().served()).isEqualTo(3);
    }
}
