package io.prescale.simulator.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressPrinterTest {
    @Test
    void smallCountsAreNotPrintedAsZeroMillions() {
        assertThat(ProgressPrinter.count(4)).isEqualTo("4");
        assertThat(ProgressPrinter.count(15_630)).isEqualTo("15.6 k");
        assertThat(ProgressPrinter.count(5_738_640)).isEqualTo("5.7 M");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true, StandardCharsets.UTF_8), 1);
        p.at("oracle", 1.0, 4); // the last report prints whatever the time
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("of 1 policy | 4 requests | ").doesNotContain("0.0 M");
    }

    @Test
    void oneRequestIsSingular() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true, StandardCharsets.UTF_8), 2, false, () -> 0L);
        p.at("oracle", 0.5, 1); // a trace of one request per model: "1 requests"
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("of 2 policies | 1 request | ");
    }

    @Test
    void onATerminalOneLineIsRedrawnAtMostOnceASecond() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true, StandardCharsets.UTF_8), 1, true, clock::get);
        clock.set(2_000_000_000L);
        p.at("oracle", 0.5, 10); // 2 s in, half done: 2 s to go
        clock.addAndGet(500_000_000L);
        p.at("oracle", 0.6, 12); // half a second later: not drawn
        p.at("oracle", 1.0, 20);
        p.finish();
        String s = buf.toString(StandardCharsets.UTF_8);
        assertThat(s).isEqualTo("\r  simulated  50.0% of 1 policy | 10 requests | 5 req/s | ETA 2s   "
                + "\r  simulated 100.0% of 1 policy | 20 requests | 8 req/s | ETA 0s   " + System.lineSeparator());
    }

    @Test
    void offATerminalEachTenthIsALineOfItsOwnWithNoCarriageReturn() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(buf, true, StandardCharsets.UTF_8), 2, false, clock::get);
        // two policies, 40 reports each, 10 s apart: a redrawn line would print once a second, 80 carriage returns
        for (int i = 1; i <= 40; i++) {
            clock.addAndGet(10_000_000_000L);
            p.at("a", i / 40.0, i);
            p.at("b", i / 40.0, i);
        }
        p.finish();
        String s = buf.toString(StandardCharsets.UTF_8);
        assertThat(s).doesNotContain("\r");
        String[] lines = s.split(System.lineSeparator());
        // the first report (policy a at 1/40, b not yet: 1.25 %), then 10 %, 20 %, ..., 100 %: 11 lines
        assertThat(lines).hasSize(11);
        assertThat(lines[0]).startsWith("  simulated   1.3% of 2 policies");
        assertThat(lines[1]).startsWith("  simulated  10.0% of 2 policies");
        assertThat(lines[10]).startsWith("  simulated 100.0% of 2 policies | 80 requests").endsWith("ETA 0s");
    }
}
