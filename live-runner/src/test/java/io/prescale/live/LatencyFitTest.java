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
}
