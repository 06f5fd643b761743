package io.prescale.simulator.engine;

import io.prescale.core.model.ModelSpec;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.TraceFormat;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.setup.TraceSetup;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationSetupTest {
    @TempDir
    Path dir;

    private Workload counts(String... rows) throws IOException {
        Path f = Files.writeString(dir.resolve("counts.csv"), "interval_start,interval_s,model,count\n" + String.join("\n", rows) + "\n");
        return Workload.load("counts", TraceFormat.COUNTS_CSV.open(f, ReadOptions.STRICT));
    }

    private static SimulationSetup setup(Workload w, double rateScale) {
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        List<ModelSpec> specs = w.models().stream().map(m -> cat.resolve(m).spec()).toList();
        return new SimulationSetup(w, 0, w.end(), specs, cat.pools(), rateScale, 1, Duration.ofMinutes(1),
                TraceSetup.costModel(cat.pools()), id -> null, 0, 1);
    }

    @Test
    void arrivalsCloserThanTheClockResolvesAreRefusedNotAHang() throws IOException {
        // 1e300 requests in a minute: each drawn gap (~6e-299 s) added nothing to a clock at 60 s and the run hung at 0 %
        Workload huge = counts("2024-01-01T00:00:00Z,60,a,5", "2024-01-01T00:01:00Z,60,a,1e300");
        assertThatThrownBy(() -> setup(huge, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'a': the window at 2024-01-01T00:01:00Z holds 1.00e+300 requests in 1m: arrivals closer together "
                        + "than the simulator's clock resolves there; check the trace's counts");
        // a rate scale that takes an ordinary window there says so. 6e9 a minute at 120 s: mean gap 1e-8 s, above the
        // 1.4e-14 s a double resolves at 120 s; x 1e8 it is 1e-16 s, below
        Workload busy = counts("2024-01-01T00:00:00Z,60,a,5", "2024-01-01T00:01:00Z,60,a,6e9");
        assertThatCode(() -> setup(busy, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> setup(busy, 1e8)).hasMessageContaining("(x1.0E8 --rate-scale)").hasMessageEndingWith("or lower --rate-scale");
    }

    @Test
    void aReplicaMtbfThatIsNotANumberOrNegativeIsRefusedNotSilentlyNoFailures() throws IOException {
        // NaN compared false with 0 and drew no failure at all, as if failures were off; a negative MTBF likewise
        Workload w = counts("2024-01-01T00:00:00Z,60,a,5");
        ModelCatalog cat = ModelCatalog.builtin("synthetic");
        List<ModelSpec> specs = w.models().stream().map(m -> cat.resolve(m).spec()).toList();
        for (double mtbf : new double[]{Double.NaN, -1})
            assertThatThrownBy(() -> new SimulationSetup(w, 0, w.end(), specs, cat.pools(), 1, 1, Duration.ofMinutes(1),
                    TraceSetup.costModel(cat.pools()), id -> null, mtbf, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--replica-mtbf must be >= 0 hours (0: no failures), got " + mtbf);
        assertThatCode(() -> new SimulationSetup(w, 0, w.end(), specs, cat.pools(), 1, 1, Duration.ofMinutes(1),
                TraceSetup.costModel(cat.pools()), id -> null, 0.5, 1)).doesNotThrowAnyException();
    }
}
