package io.prescale.core.loop;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ticks are summed into the forecaster's buckets; a bucket is handed over only once complete. */
class DemandAggregatorTest {
    final List<String> seen = new ArrayList<>();
    final Forecaster recorder = new Forecaster() {
        @Override public String id() { return "recorder"; }
        @Override public Duration interval() { return Duration.ofMinutes(10); }
        @Override public void observe(String series, Instant intervalStart, double count) { seen.add(series + "@" + intervalStart + "=" + count); }
        @Override public Forecast forecast(String series, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
    };

    @Test
    void sumsTicksIntoCompleteBucketsOnly() {
        DemandAggregator agg = new DemandAggregator(recorder);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        // 15 s ticks: 40 ticks = 10 minutes, 3 arrivals each -> one bucket of 120 when the 40th tick ends at 00:10
        for (int k = 0; k < 39; k++) agg.add("m", t0.plusSeconds(15L * k), t0.plusSeconds(15L * (k + 1)), 3, false);
        assertThat(seen).isEmpty();
        agg.add("m", t0.plusSeconds(585), t0.plusSeconds(600), 3, false);
        assertThat(seen).containsExactly("m@2024-01-01T00:00:00Z=120.0");
    }

    @Test
    void aMaskedTickMakesItsBucketAGapAndSkippedBucketsAreZero() {
        DemandAggregator agg = new DemandAggregator(recorder);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        agg.add("m", t0, t0.plusSeconds(300), 5, true);
        agg.add("m", t0.plusSeconds(300), t0.plusSeconds(600), 5, false);
        // no tick at all in 00:10-00:20; the next tick starts at 00:20
        agg.add("m", t0.plusSeconds(1200), t0.plusSeconds(1800), 7, false);
        assertThat(seen).containsExactly("m@2024-01-01T00:00:00Z=NaN", "m@2024-01-01T00:10:00Z=0.0", "m@2024-01-01T00:20:00Z=7.0");
    }

    @Test
    void aTickLongerThanABucketIsSpreadOverTheBucketsItCovers() {
        // 10-minute buckets, 30-minute ticks of 300 arrivals: 100 in each bucket. Before, the whole tick went to the bucket
        // it starts in and the two after it were never handed over (300 @00:00, 300 @00:30)
        DemandAggregator agg = new DemandAggregator(recorder);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        agg.add("m", t0, t0.plusSeconds(1800), 300, false);
        agg.add("m", t0.plusSeconds(1800), t0.plusSeconds(3600), 300, false);
        assertThat(seen).containsExactly("m@2024-01-01T00:00:00Z=100.0", "m@2024-01-01T00:10:00Z=100.0", "m@2024-01-01T00:20:00Z=100.0",
                "m@2024-01-01T00:30:00Z=100.0", "m@2024-01-01T00:40:00Z=100.0", "m@2024-01-01T00:50:00Z=100.0");
        // 15-minute ticks of 150 (10 a minute) from 01:00, the second masked: 01:00-01:10 gets 100; 01:10-01:20 holds 5
        // minutes of each, so it is a gap (NaN), as is 01:20-01:30, all in the masked tick
        seen.clear();
        agg.add("m", t0.plusSeconds(3600), t0.plusSeconds(4500), 150, false);
        agg.add("m", t0.plusSeconds(4500), t0.plusSeconds(5400), 150, true);
        assertThat(seen).containsExactly("m@2024-01-01T01:00:00Z=100.0", "m@2024-01-01T01:10:00Z=NaN", "m@2024-01-01T01:20:00Z=NaN");
    }

    @Test
    void aForgottenSeriesLosesItsOpenBucketAndTheForecasterForgetsItToo() {
        List<String> forgotten = new ArrayList<>();
        Forecaster forgetting = new Forecaster() {
            @Override public String id() { return "recorder"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String series, Instant intervalStart, double count) { seen.add(series + "@" + intervalStart + "=" + count); }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
            @Override public void forget(String series) { forgotten.add(series); }
        };
        DemandAggregator agg = new DemandAggregator(forgetting);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        agg.add("m", t0, t0.plusSeconds(300), 5, false); // the removed model's half bucket
        agg.forget("m");
        agg.add("m", t0.plusSeconds(300), t0.plusSeconds(600), 7, false); // a model registered again under the name
        assertThat(seen).containsExactly("m@2024-01-01T00:00:00Z=7.0"); // its own 7, not 5 + 7
        assertThat(forgotten).containsExactly("m");
    }

    @Test
    void aGapLongerThanTheForecastersMemoryForgetsTheSeriesInsteadOfHandingOverEveryEmptyBucket() {
        List<String> forgotten = new ArrayList<>();
        Forecaster shortMemory = new Forecaster() {
            @Override public String id() { return "recorder"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String series, Instant intervalStart, double count) { seen.add(series + "@" + intervalStart + "=" + count); }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
            @Override public void forget(String series) { forgotten.add(series); }
            @Override public long memory() { return 3; }
        };
        DemandAggregator agg = new DemandAggregator(shortMemory);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        agg.add("m", t0, t0.plusSeconds(300), 5, false);
        // 00:10, 00:20, 00:30 skipped: 3 buckets, within memory -> handed over as zeros (today's behaviour)
        agg.add("m", t0.plusSeconds(2400), t0.plusSeconds(2700), 1, false);
        assertThat(seen).containsExactly("m@2024-01-01T00:00:00Z=5.0", "m@2024-01-01T00:10:00Z=0.0",
                "m@2024-01-01T00:20:00Z=0.0", "m@2024-01-01T00:30:00Z=0.0");
        assertThat(forgotten).isEmpty();
        seen.clear();
        // the clock jumps 100 years ahead: 5.26 million empty buckets, far over the memory of 3 -> the series is
        // forgotten (its open 00:40 bucket with it) and restarts at the new bucket; nothing is handed over yet
        Instant far = t0.plus(Duration.ofDays(36525));
        agg.add("m", far, far.plusSeconds(300), 2, false);
        assertThat(seen).isEmpty();
        assertThat(forgotten).containsExactly("m");
        agg.add("m", far.plusSeconds(300), far.plusSeconds(600), 4, false);
        assertThat(seen).containsExactly("m@" + far + "=6.0");
    }

    @Test
    void theDefaultMemoryIsAWeekOfMinutes() {
        assertThat(recorder.memory()).isEqualTo(7 * 24 * 60);
    }

    @Test
    void aClockPastWhatNanosecondsHoldIsRefusedNotWrapped() {
        // a long holds nanoseconds since the epoch up to 2262-04-11T23:47:16.854775807Z: past it the product wrapped to
        // 1677, silently, and the tick's arrivals went into whatever bucket was open (or one centuries back)
        DemandAggregator agg = new DemandAggregator(recorder);
        Instant last = Instant.parse("2262-04-11T23:40:00Z");
        agg.add("m", last.minusSeconds(600), last, 5, false); // the last whole bucket a long holds: fine
        assertThat(seen).containsExactly("m@2262-04-11T23:30:00Z=5.0");
        assertThatThrownBy(() -> agg.add("m", last, Instant.parse("2262-04-11T23:50:00Z"), 5, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the clock reads 2262-04-11T23:50:00Z")
                .hasMessageContaining("2262-04-11T23:47:16.854775807Z");
        assertThatThrownBy(() -> agg.add("m", Instant.parse("2262-04-12T00:00:00Z"), Instant.parse("2262-04-12T00:00:15Z"), 5, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("check the clock");
        // and before 1677, as far: refused too
        assertThatThrownBy(() -> agg.add("x", Instant.parse("1600-01-01T00:00:00Z"), Instant.parse("1600-01-01T00:00:15Z"), 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1600-01-01T00:00:00Z");
        assertThat(seen).hasSize(1);
        // the bounds themselves are counted, to the nanosecond
        assertThat(DemandAggregator.nanos(Instant.ofEpochSecond(0, Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(DemandAggregator.nanos(Instant.ofEpochSecond(0, Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(DemandAggregator.nanos(Instant.parse("1969-12-31T23:59:58.75Z"))).isEqualTo(-1_250_000_000L);
    }
}
