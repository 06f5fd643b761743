package io.prescale.simulator.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
}
