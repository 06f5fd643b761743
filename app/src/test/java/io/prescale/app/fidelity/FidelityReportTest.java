package io.prescale.app.fidelity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FidelityReportTest {

    @Test
    void errorsAreSimMinusLiveOverLiveAndAnEqualPairIsPlusZero() {
        // live 10 ms, sim 9 ms: (9 - 10) / 10 = -10.0 %; sim 11: +10.0 %
        assertThat(FidelityReport.pct(FidelityReport.relError(9, 10))).isEqualTo("-10.0%");
        assertThat(FidelityReport.pct(FidelityReport.relError(11, 10))).isEqualTo("+10.0%");
        // replica-hours equal but for the last bit (0.011111... billed two ways) printed "-0.0%"
        double live = 40.0 / 3600, sim = live * (1 - 1e-15);
        assertThat(FidelityReport.pct(FidelityReport.relError(sim, live))).isEqualTo("+0.0%");
        // live served nothing: no latency to compare against, not a division by zero read as a figure
        assertThat(FidelityReport.pct(FidelityReport.relError(5, Double.NaN))).isEqualTo("n/a");
        assertThat(FidelityReport.pct(FidelityReport.relError(5, 0))).isEqualTo("n/a");
        assertThat(FidelityReport.verdict(FidelityReport.relError(5, Double.NaN), FidelityReport.LATENCY_BAR)).isEqualTo("FAIL");
    }

    @Test
    void theTableShowsTheErrorsOfBothSides() {
        FidelityReport.Side live = new FidelityReport.Side(100, 100, 0, 0, 0, 10, 20, 30, 0.5, List.of());
        FidelityReport.Side sim = new FidelityReport.Side(100, 100, 0, 0, 0, 9.5, 22, 30, 0.5, List.of());
        // p50 (9.5 - 10) / 10 = -5.0 %, p95 (22 - 20) / 20 = +10.0 %, p99 0, replica-hours 0
        assertThat(FidelityReport.table(live, sim, "simulator")).contains("-5.0%", "+10.0%", "+0.0%")
                .contains("bars: p50 PASS, p95 FAIL (<= 9 %), replica-hours PASS (<= 5 %)");
    }
}
