package io.prescale.simulator.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeWindowTest {
    private static final Instant ORIGIN = Instant.parse("2024-11-15T00:00:00Z");

    @Test
    void offsetsAndTimestampsAreSecondsFromTheTraceStart() {
        assertThat(TimeWindow.parse("36h", ORIGIN, "--from")).isEqualTo(129_600.0);
        // 7 d 12 h = 7.5 × 86,400 s
        assertThat(TimeWindow.parse("7d12h", ORIGIN, "--from")).isEqualTo(648_000.0);
        // one day and one hour after the origin: 90,000 s, with or without a zone
        assertThat(TimeWindow.parse("2024-11-16T01:00:00", ORIGIN, "--to")).isEqualTo(90_000.0);
        assertThat(TimeWindow.parse("2024-11-16T01:00:00Z", ORIGIN, "--to")).isEqualTo(90_000.0);
        // a day alone is its midnight UTC: one day after the origin, 86,400 s (it was refused as no ISO time)
        assertThat(TimeWindow.parseFlag("2024-11-16", ORIGIN, "--to")).isEqualTo(86_400.0);
    }

    @Test
    void anythingElseNamesTheFlag() {
        assertThatThrownBy(() -> TimeWindow.parse("next week", ORIGIN, "--to")).hasMessageContaining("--to 'next week'").hasMessageContaining("7d12h");
    }

    @Test
    void aFlagRefusesABareNumberAnExperimentFileReadsAsSeconds() {
        assertThatThrownBy(() -> TimeWindow.parseFlag("2", ORIGIN, "--from")).hasMessage("--from: '2' has no unit: write 2s, 2m, 2h or 2d");
        assertThat(TimeWindow.parseFlag("2h", ORIGIN, "--from")).isEqualTo(7_200.0);
        assertThat(TimeWindow.parseFlag("2024-11-16T01:00:00", ORIGIN, "--to")).isEqualTo(90_000.0);
        assertThat(TimeWindow.parse("2", ORIGIN, "from")).isEqualTo(2.0);
    }

    @Test
    void aStartPastTheTraceEndSaysSoWithoutNamingAnEndNobodyGave() {
        // a 14-day trace (1,209,600 s) from ORIGIN, --from 20d (1,728,000 s) and no --to: the end defaulted to the trace's
        java.util.function.DoubleFunction<Instant> at = x -> ORIGIN.plusSeconds((long) x);
        assertThat(TimeWindow.problem(1_728_000, 1_209_600, "--from ", "--to ", at, 1_209_600))
                .isEqualTo("empty window: --from 2024-12-05T00:00:00Z is at or past the end of the trace, 2024-11-29T00:00:00Z");
        // a --to before --from inside the trace is still said as both ends
        assertThat(TimeWindow.problem(200, 100, "--from ", "--to ", at, 1_209_600)).startsWith("empty window: --from 2024-11-15T00:03:20Z is not before --to ");
    }
}
