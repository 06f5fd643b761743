package io.prescale.simulator.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleTableTest {
    @Test
    void aLowUtilisationIsNotPrintedAsNone() {
        // reactive.hpa on the Alibaba trace: 0.3711 % of its GPU time busy
        assertThat(ConsoleTable.util(0.003711)).isEqualTo("0.4%");
        assertThat(ConsoleTable.util(0.0)).isEqualTo("0.0%");
        assertThat(ConsoleTable.util(0.0987)).isEqualTo("9.9%");
        assertThat(ConsoleTable.util(0.0996)).isEqualTo("10%");
        assertThat(ConsoleTable.util(0.961)).isEqualTo("96%");
    }

    @Test
    void anAttainmentJustBelowOneIsNotPrintedAsEveryRequestMet() {
        var t = new io.prescale.simulator.metrics.RunResult.Totals("all", 100_000, 99_999, 0, 0, 0, 0.99999, 1, 2, 3, 4, 5, 0, 0.5, 0, 0);
        var r = new io.prescale.simulator.metrics.RunResult("oracle", java.util.Map.of(), t, java.util.List.of(), java.util.List.of(), 0,
                new io.prescale.simulator.metrics.RunResult.Invariants(true, 0.5, true, 0), new double[0][],
                new io.prescale.simulator.metrics.RunResult.Attribution(1, 1, 0), null);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        ConsoleTable.print(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8), java.util.List.of(r));
        // one request in 100,000 missed: 99.99%, not 100.00%
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(" 99.99% ").doesNotContain("100.00%");
    }
}
