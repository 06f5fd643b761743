package io.prescale.forecasting.spark;

import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceSeriesTest {
    @Test
    void binsRequestsPerModelWithZeroForEmptyBins(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.csv");
        // two models; a at 0 s, 30 s, 130 s; b at 70 s  -> 1-minute bins a: [2, 0, 1], b: [0, 1, 0]
        Files.writeString(f, "timestamp,model\n2025-01-01T00:00:00Z,a\n2025-01-01T00:00:30Z,a\n2025-01-01T00:01:10Z,b\n2025-01-01T00:02:10Z,a\n");
        TraceSource src = SharedTraces.resolve("requests-csv:" + f, (Path) null);
        var loaded = TraceSeries.load(src, Duration.ofMinutes(1), ReadOptions.STRICT);
        assertThat(loaded.series()).extracting(s -> s.name()).containsExactly("a", "b");
        assertThat(loaded.series().get(0).values()).containsExactly(2, 0, 1);
        assertThat(loaded.series().get(1).values()).containsExactly(0, 1, 0);
    }

    @Test
    void syntheticTraceAggregatesToCoarserIntervalsButNotFiner() {
        TraceSource src = SharedTraces.synthetic();
        var hourly = TraceSeries.load(src, Duration.ofHours(1), ReadOptions.STRICT);
        assertThat(hourly.series()).isNotEmpty();
        assertThat(hourly.series().get(0).length()).isEqualTo(14 * 24);
        assertThatThrownBy(() -> TraceSeries.load(src, Duration.ofMinutes(1), ReadOptions.STRICT)).hasMessageContaining("must be a multiple");
    }
}
