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
}
