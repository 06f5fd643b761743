package io.prescale.live;

import io.prescale.live.serve.LatencyFit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyFitTest {
    @Test
    void fitsBasePlusPerItemOverBatchMeans() {
        LatencyFit f = new LatencyFit();
        // exact line 0.010 + 0.002 b at b = 1, 2, 4, 8; batch 1 seen three times with the same mean
        f.record(1, 0.012); f.record(1, 0.011); f.record(1, 0.013);
        f.record(2, 0.014);
        f.record(4, 0.018);
        f.record(8, 0.026);
        var p = f.profile().orElseThrow();
        assertThat(p.baseSeconds()).isCloseTo(0.010, within(1e-9));
        assertThat(p.perItemSeconds()).isCloseTo(0.002, within(1e-9));
    }

    @Test
    void oneBatchSizeIsAllBaseTime() {
        LatencyFit f = new LatencyFit();
        f.record(1, 0.004);
        assertThat(f.profile().orElseThrow().baseSeconds()).isEqualTo(0.004);
        assertThat(new LatencyFit().profile()).isEmpty();
    }

    @Test
    void totalsAreCopiesSoTwoReadingsGiveTheMeanBetweenThem() {
        LatencyFit f = new LatencyFit();
        f.record(1, 0.002);
        double[] before = f.totals(1);
        f.record(1, 0.003); f.record(1, 0.005);
        double[] after = f.totals(1);
        // between the readings: 2 batches, 0.008 s in all -> 0.004 s mean
        assertThat(after[0] - before[0]).isEqualTo(2);
        assertThat((after[1] - before[1]) / (after[0] - before[0])).isCloseTo(0.004, within(1e-12));
        assertThat(before).containsExactly(1, 0.002, 0.002 * 0.002);
        // squares between the readings: 0.003^2 + 0.005^2 = 0.000034
        assertThat(after[2] - before[2]).isCloseTo(0.000034, within(1e-15));
        assertThat(f.totals(8)).containsExactly(0, 0, 0);
    }

    @Test
    void rowCountsAClientChoosesAddBoundedlyManySizes() {
        LatencyFit f = new LatencyFit();
        // every row count from 1 to 100,000, as a client's requests may have: one size each was 100,000 sizes kept for good
        for (int rows = 1; rows <= 100_000; rows++) f.record(rows, rows * 1e-6);
        // 128 sizes measured apart, then 16 a octave: 128-255, ..., 65,536-131,071 are 10 octaves (16 buckets each, the
        // last holding 65,536-100,000: 9 of its 16) = 128 + 9 * 16 + 9 = 281
        assertThat(f.means()).hasSize(281).hasSizeLessThanOrEqualTo(LatencyFit.MAX_BUCKETS);
        // the line stays the one measured: 1 us a row, no base
        var p = f.profile().orElseThrow();
        assertThat(p.perItemSeconds()).isCloseTo(1e-6, within(1e-9));
        assertThat(p.baseSeconds()).isCloseTo(0, within(1e-6));
    }

    @Test
    void aBucketIsKeyedByTheMeanRowsMeasuredInIt() {
        LatencyFit f = new LatencyFit();
        f.record(100, 0.5);               // up to 128 rows: its own size
        f.record(1000, 1.0);              // 992-1,023 rows share a bucket (512-1,023, its sixteenth 15)
        f.record(1010, 3.0);
        // keys: 100, and (1000 + 1010) / 2 = 1005 with (1.0 + 3.0) / 2 = 2.0 s
        assertThat(f.means()).containsExactly(java.util.Map.entry(100, 0.5), java.util.Map.entry(1005, 2.0));
        assertThat(f.totals(1023)).containsExactly(2, 4.0, 10.0);
        assertThat(f.totals(991)).containsExactly(0, 0, 0); // 976-991: the bucket before
    }
}
