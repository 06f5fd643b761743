package io.prescale.simulator.engine;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history before {@code --from} is masked as a control tick's interval is: a forecaster bucket that any gap
 * overlaps is handed over as NaN (its count is partial, not lower demand), not only the bucket whose first window is one.
 */
class HistoryGapTest {

    @Test
    void aBucketWithAGapInsideIsMaskedNotLearnedAsLowDemand() {
        // 1-minute windows of 60 requests each (1 req/s) for 20 minutes; minute 7 is a gap. A 5-minute forecaster gets
        // buckets [0,5) [5,10) [10,15) [15,20) minutes: 300, NaN (the gap is its third minute), 300, 300. Read at the
        // bucket's start only, [5,10) was 240: four minutes of data learned as 20 % less demand.
        List<TraceRecord> recs = new ArrayList<>();
        for (int m = 0; m < 20; m++) {
            boolean gap = m == 7;
            recs.add(new TraceRecord.IntervalCount(Instant.EPOCH.plusSeconds(60L * m), Duration.ofMinutes(1), "m", gap ? 0 : 60,
                    ArrivalShape.POISSON, gap));
        }
        Iterator<TraceRecord> it = recs.iterator();
        Workload w = Workload.load("gaps", new TraceReader() {
            @Override public TraceFeatures features() { return new TraceFeatures(true, false, false, false, true); }
            @Override public long skippedRows() { return 0; }
            @Override public void close() { }
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public TraceRecord next() { return it.next(); }
        });
        List<Double> seen = new ArrayList<>();
        Forecaster recorder = new Forecaster() {
            @Override public String id() { return "recorder"; }
            @Override public Duration interval() { return Duration.ofMinutes(5); }
            @Override public void observe(String series, Instant intervalStart, double count) { seen.add(count); }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
        };
        History.feed(w, recorder, 1200, 1.0);
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0)).isEqualTo(300.0);
        assertThat(seen.get(1)).isNaN();
        assertThat(seen.get(2)).isEqualTo(300.0);
        assertThat(seen.get(3)).isEqualTo(300.0);
    }
}
