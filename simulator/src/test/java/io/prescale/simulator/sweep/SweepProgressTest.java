package io.prescale.simulator.sweep;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress within a sweep's running scenarios (manual clock): redrawn on a terminal, a line per tenth in a log. */
class SweepProgressTest {
    static final String NL = System.lineSeparator();

    @Test
    void offATerminalEachTenthOfTheWholeSweepIsALineWithAnEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        SweepProgress p = new SweepProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), 2, false, clock::get, (d, t, r) -> "unused");
        // two scenarios running side by side, 20 report rows each, 5 s apart
        for (int i = 1; i <= 20; i++) {
            clock.addAndGet(5_000_000_000L);
            p.running(0, i / 20.0);
            if (i <= 10) p.running(1, i / 40.0); // the second runs at half the pace, to a quarter of its way
        }
        String s = buf.toString(StandardCharsets.UTF_8);
        assertThat(s).doesNotContain("\r");
        // at i = 3, once scenario 0 reports 0.15 (scenario 1 still at 2/40 = 0.05): (0.15 + 0.05) / 2 = 10 %, 15 s in:
        // ETA 15 x 0.9 / 0.1 = 135 s
        assertThat(s).startsWith("  swept  10.0% of 2 scenarios (0 done, 2 running) | ETA 135s" + NL);
        // the last: at i = 19, scenario 0 at 95 %, scenario 1 at 25 %: 60 % at 95 s, ETA 95 x 0.4 / 0.6 = 63 s; one line per tenth
        assertThat(s).endsWith("  swept  60.0% of 2 scenarios (0 done, 2 running) | ETA 63s" + NL);
        assertThat(s.lines().count()).isEqualTo(6); // tenths 1..6
    }

    @Test
    void onATerminalTheLineIsRedrawnAtMostOnceASecondAndClearedForAFinishedScenario() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        SweepProgress p = new SweepProgress(new PrintStream(buf, true, StandardCharsets.UTF_8), 2, true, clock::get, (d, t, r) -> "  [" + d + "/" + t + "] done");
        clock.set(2_000_000_000L);
        p.running(0, 0.5);                       // 2 s in, a quarter of the sweep: ETA 6 s
        clock.addAndGet(500_000_000L);
        p.running(0, 0.6);                       // half a second later: not drawn
        clock.addAndGet(500_000_000L);
        p.running(1, 0.2);                       // 3 s: (0.6 + 0.2) / 2 = 40 %, ETA 4.5 s
        String line1 = "  swept  25.0% of 2 scenarios (0 done, 1 running) | ETA 6s";
        String line2 = "  swept  40.0% of 2 scenarios (0 done, 2 running) | ETA 4s"; // %.0f of 4.5: half to even
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("\r" + line1 + "\r" + line2);
        buf.reset();
        p.finished(1, 2, null);                 // a scenario's own line clears the redrawn one first
        assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith("\r" + " ".repeat(line2.length()) + "\r  [1/2] done" + NL);
    }
}
