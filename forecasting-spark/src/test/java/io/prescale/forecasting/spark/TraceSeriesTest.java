package io.prescale.forecasting.spark;

import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceSeriesTest {
    @Test
    void binsRequestsPerModelWithZeroForEmptyBins(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("r.csv");
        // two models; a at 0 s, 30 s, 130 s; b at 70 s  -> 1-minute bins a: [2, 0, 1], b: [0, 1, 0], the last (02:00-03:00,
        // the trace ends at 02:10) masked
        Files.writeString(f, "timestamp,model\n2025-01-01T00:00:00Z,a\n2025-01-01T00:00:30Z,a\n2025-01-01T00:01:10Z,b\n2025-01-01T00:02:10Z,a\n");
        TraceSource src = SharedTraces.resolve("requests-csv:" + f, (Path) null);
        var loaded = TraceSeries.load(src, Duration.ofMinutes(1), ReadOptions.STRICT);
        assertThat(loaded.series()).extracting(s -> s.name()).containsExactly("a", "b");
        assertThat(loaded.series().get(0).values()).containsExactly(2, 0, Double.NaN);
        assertThat(loaded.series().get(1).values()).containsExactly(0, 1, Double.NaN);
    }

    @Test
    void syntheticTraceAggregatesToCoarserIntervalsButNotFiner() {
        TraceSource src = SharedTraces.synthetic();
        var hourly = TraceSeries.load(src, Duration.ofHours(1), ReadOptions.STRICT);
        assertThat(hourly.series()).isNotEmpty();
        assertThat(hourly.series().get(0).length()).isEqualTo(14 * 24);
        assertThatThrownBy(() -> TraceSeries.load(src, Duration.ofMinutes(1), ReadOptions.STRICT)).hasMessage("synthetic has 5m intervals: the forecasting interval, 1m, must be a whole number of them");
    }

    @Test
    void anIntervalOffTheGridIsSharedBetweenTheBinsItOverlapsAndAPartlyCoveredBinIsMasked(@TempDir Path dir) throws Exception {
        // 10-minute counts from 00:05: each was put whole in the bin it starts in, so the series was labelled 5 minutes early
        // (its time-of-day features shifted, and forecast train --to 00:00 trained on demand up to 00:05)
        Path f = dir.resolve("off.csv");
        Files.writeString(f, "interval_start,interval_s,model,count\n2025-01-01T00:05:00Z,600,a,10\n2025-01-01T00:15:00Z,600,a,20\n"
                + "2025-01-01T00:25:00Z,600,a,30\n");
        var off = TraceSeries.load(SharedTraces.resolve("counts-csv:" + f, (Path) null), Duration.ofMinutes(10), ReadOptions.STRICT).series().get(0);
        // bins 00:00 (5 of its 10 minutes covered: masked), 00:10 = 10/2 + 20/2, 00:20 = 20/2 + 30/2, 00:30 (5 minutes: masked)
        assertThat(off.start()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(off.values()).containsExactly(Double.NaN, 15, 25, Double.NaN);

        // 1-minute counts: 00:00-00:09 of 1, 00:10-00:19 without 00:13 (no row: not a gap, not zero), 00:20-00:29 of 2.
        // The middle bin was summed as 9 (its 9 minutes read as a whole 10); masked as a bin with no row at all is
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (int m = 0; m < 30; m++) if (m != 13) csv.append(String.format("2025-01-01T00:%02d:00Z,60,a,%d%n", m, m < 20 ? 1 : 2));
        Path g = Files.writeString(dir.resolve("minutes.csv"), csv);
        var minutes = TraceSeries.load(SharedTraces.resolve("counts-csv:" + g, (Path) null), Duration.ofMinutes(10), ReadOptions.STRICT).series().get(0);
        assertThat(minutes.values()).containsExactly(10, Double.NaN, 20);
    }

    @Test
    void theFirstAndLastBinsOfARequestTraceArePartlyCoveredAndMasked(@TempDir Path dir) throws Exception {
        // a request trace covers its first request (00:07) to its last (00:31): the 00:00 bin held 2 requests of its last
        // 3 minutes and the 00:30 bin 1 of its first minute, read as whole bins of low demand (alibaba-genai at 1h: 1
        // request in the first bin). Bins between them with no request stay zero demand; model b's are on the same span
        Path f = Files.writeString(dir.resolve("req.csv"), "timestamp,model\n2025-01-01T00:07:00Z,a\n2025-01-01T00:08:00Z,a\n"
                + "2025-01-01T00:15:00Z,a\n2025-01-01T00:16:00Z,b\n2025-01-01T00:31:00Z,a\n");
        var loaded = TraceSeries.load(SharedTraces.resolve("requests-csv:" + f, (Path) null), Duration.ofMinutes(10), ReadOptions.STRICT);
        var a = loaded.series().get(0);
        var b = loaded.series().get(1);
        assertThat(a.start()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(a.values()).containsExactly(Double.NaN, 1, 0, Double.NaN);
        assertThat(b.values()).containsExactly(Double.NaN, 1, 0, Double.NaN);

        // the first request on the grid: the trace covers its bin from the start, which is kept; the last bin is still partial
        Path g = Files.writeString(dir.resolve("on.csv"), "timestamp,model\n2025-01-01T00:00:00Z,a\n2025-01-01T00:05:00Z,a\n"
                + "2025-01-01T00:12:00Z,a\n2025-01-01T00:21:00Z,a\n");
        var on = TraceSeries.load(SharedTraces.resolve("requests-csv:" + g, (Path) null), Duration.ofMinutes(10), ReadOptions.STRICT).series().get(0);
        assertThat(on.values()).containsExactly(2, 1, Double.NaN);
    }
}
