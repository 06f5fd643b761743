package io.prescale.live;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.loop.LiveForecasters;
import io.prescale.live.state.DemandHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LiveForecastersTest {
    @TempDir
    Path dir;

    @Test
    void policiesGetTheSimulatorsForecaster() {
        assertThat(LiveForecasters.forPolicy("reactive.hpa").id()).isEqualTo("none");
        assertThat(LiveForecasters.forPolicy("predictive.headroom").id()).isEqualTo("holt-winters");
        assertThat(LiveForecasters.forPolicy("predictive.sageserve-style").id()).isEqualTo("arima");
    }

    @Test
    void warmsFromTheMinuteHistoryInTenMinuteBuckets() {
        DemandHistory h = new DemandHistory(dir);
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        // 25 minutes of 6 arrivals each: totals grow by 6 per minute
        for (int m = 0; m < 25; m++) h.record("vad", t0.plusSeconds(60L * m), new DemandHistory.Totals(6L * (m + 1), 0, 0, 0, 0));
        List<double[]> seen = new ArrayList<>();
        Forecaster recorder = new Forecaster() {
            @Override public String id() { return "recorder"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String s, Instant start, double count) { seen.add(new double[]{start.getEpochSecond() - t0.getEpochSecond(), count}); }
            @Override public Forecast forecast(String s, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
        };
        // now = 10:25: buckets 10:00 and 10:10 are complete (10 minutes x 6 = 60 each); 10:20 is current, not fed
        int fed = LiveForecasters.warm(recorder, h.dir(), Set.of("vad"), t0.plusSeconds(25 * 60));
        assertThat(fed).isEqualTo(2);
        assertThat(seen).containsExactly(new double[]{0, 60}, new double[]{600, 60});
    }

    @Test
    void aRowDatedFarBackIsNotWalkedFromOnlyTheForecastersMemoryIsFed() {
        DemandHistory h = new DemandHistory(dir);
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        // one row written under a clock 50 years behind, then 20 minutes of 6 arrivals each now
        h.record("vad", Instant.parse("1976-03-01T10:00:00Z"), new DemandHistory.Totals(3, 0, 0, 0, 0));
        for (int m = 0; m < 20; m++) h.record("vad", t0.plusSeconds(60L * m), new DemandHistory.Totals(3 + 6L * (m + 1), 0, 0, 0, 0));
        List<double[]> seen = new ArrayList<>();
        Forecaster recorder = new Forecaster() {
            @Override public String id() { return "recorder"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String s, Instant start, double count) { seen.add(new double[]{start.getEpochSecond() - t0.getEpochSecond(), count}); }
            @Override public Forecast forecast(String s, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
            @Override public long memory() { return 6; } // an hour of 10-minute intervals
        };
        // now = 10:20: the memory reaches back to 09:20; nothing is on file between 1976 and 10:00, so the first interval
        // fed is 10:00 (60), then 10:10 (60); without the bound, 2.6 million intervals since 1976 were fed
        int fed = LiveForecasters.warm(recorder, h.dir(), Set.of("vad"), t0.plusSeconds(20 * 60));
        assertThat(fed).isEqualTo(2);
        assertThat(seen).containsExactly(new double[]{0, 60}, new double[]{600, 60});
    }
}
