package io.prescale.live.serve;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A completion and whether it met the SLO are counted in one step, in one interval. */
class IntervalStatsTest {

    @Test
    void completionsAndSloMetCountTogetherPerInterval() {
        IntervalStats s = new IntervalStats();
        s.completed(2_000_000, true);
        s.completed(3_000_000, true);
        s.completed(9_000_000, false);
        IntervalStats.Snapshot first = s.snapshot();
        assertThat(first.completed()).isEqualTo(3);
        assertThat(first.metSlo()).isEqualTo(2);
        assertThat(first.latencyNanos()).isEqualTo(14_000_000);
        // the next interval starts empty, and counts past 2^32 - 1 met requests are not needed: 5 more, 5 met
        for (int i = 0; i < 5; i++) s.completed(1_000_000, true);
        IntervalStats.Snapshot second = s.snapshot();
        assertThat(second.completed()).isEqualTo(5);
        assertThat(second.metSlo()).isEqualTo(5);
        assertThat(s.snapshot().completed()).isZero();
    }

    @Test
    void concurrentCompletionsNeverShowMoreMetThanCompleted() throws Exception {
        // each snapshot must have metSlo <= completed: with two counters a snapshot between the two adds could count
        // the met without its completion (attainment above 1 for that tick)
        IntervalStats s = new IntervalStats();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) s.completed(1000, true);
        });
        writer.start();
        long completed = 0, met = 0;
        while (writer.isAlive()) {
            IntervalStats.Snapshot x = s.snapshot();
            assertThat(x.metSlo()).isLessThanOrEqualTo(x.completed());
            completed += x.completed();
            met += x.metSlo();
        }
        writer.join();
        IntervalStats.Snapshot last = s.snapshot();
        assertThat(completed + last.completed()).isEqualTo(200_000);
        assertThat(met + last.metSlo()).isEqualTo(200_000);
    }
}
