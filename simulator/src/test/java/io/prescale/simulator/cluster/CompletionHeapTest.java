package io.prescale.simulator.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pending completions' heap: taking entries back (a lost replica's) leaves the others in time order. */
class CompletionHeapTest {

    @Test
    void removingEntriesLeavesTheRestPoppingInTimeOrder() {
        // 200 entries at times 0..49 (so equal times repeat), counts 1..3; every third one (as pushed) is taken back: the
        // other 134 pop in time order, each once
        SplittableRandom rnd = new SplittableRandom(3);
        CompletionHeap h = new CompletionHeap();
        List<double[]> kept = new ArrayList<>();
        double[] rt = new double[67];
        int[] rk = new int[67];
        float[] rs = new float[67];
        long[] ro = new long[67];
        int m = 0;
        for (int i = 0; i < 200; i++) {
            double t = rnd.nextInt(50);
            int k = 1 + rnd.nextInt(3);
            h.push(t, k, 0.5f, i);
            if (i % 3 == 0) {
                rt[m] = t;
                rk[m] = k;
                rs[m] = 0.5f;
                ro[m++] = i;
            } else {
                kept.add(new double[]{t, k, i});
            }
        }
        h.removeAll(rt, rk, rs, ro, m);
        assertThat(h.size()).isEqualTo(kept.size());
        kept.sort((a, b) -> Double.compare(a[0], b[0]));
        List<Long> popped = new ArrayList<>();
        double last = Double.NEGATIVE_INFINITY;
        while (h.size() > 0) {
            assertThat(h.minTime()).isGreaterThanOrEqualTo(last);
            last = h.minTime();
            popped.add(h.minOutcome());
            h.pop();
        }
        assertThat(popped).containsExactlyInAnyOrderElementsOf(kept.stream().map(x -> (long) x[2]).toList());
        assertThat(popped).doesNotContain(0L, 3L, 198L);
    }

    @Test
    void takingBackAnEntryThatIsNotPendingIsABug() {
        CompletionHeap h = new CompletionHeap();
        h.push(1, 1, 0.5f, 0L);
        assertThatThrownBy(() -> h.removeAll(new double[]{2}, new int[]{1}, new float[]{0.5f}, new long[]{0}, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not pending");
        assertThat(h.size()).isEqualTo(1);
    }
}
