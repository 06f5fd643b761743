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
}
