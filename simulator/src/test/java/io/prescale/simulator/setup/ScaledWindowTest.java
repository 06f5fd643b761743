package io.prescale.simulator.setup;

import io.prescale.datasets.SharedTraces;
import io.prescale.simulator.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ScaledWindowTest {
    @TempDir
    Path dir;

    private Workload read(String spec) {
        return TraceSetup.read(SharedTraces.resolve(spec, Optional.empty()), false);
    }

    /** Requests at 0, 10, 20, ..., 90 min: ten of them; the trace ends just after 90 min. */
    private Workload tenRequests() throws IOException {
        StringBuilder b = new StringBuilder("timestamp,model\n");
        for (int i = 0; i < 10; i++) b.append(String.format("2024-01-01T%02d:%02d:00Z,%s%n", i / 6, (i % 6) * 10, i % 2 == 0 ? "chat" : "embed"));
        return read("requests-csv:" + Files.writeString(dir.resolve("ten.csv"), b.toString()));
    }

    @Test
    void aRequestTraceCountsItsRequestsInTheHalfOpenWindowAcrossModels() throws IOException {
        Workload w = tenRequests();
        assertThat(w.requestsIn(0, w.end())).isEqualTo(10);
        // [10 min, 30 min): the requests at 10 and 20 min, not the one at 30 min
        assertThat(w.requestsIn(600, 1800)).isEqualTo(2);
        // [11 min, 19 min): between two requests
        assertThat(w.requestsIn(660, 1140)).isZero();
    }

    @Test
    void aCountTraceCountsEachIntervalsShareInsideTheWindowAndNoGap() throws IOException {
        Path csv = Files.writeString(dir.resolve("counts.csv"), """
                interval_start,interval_s,model,count,gap
                2024-01-01T00:00:00Z,60,chat,30,0
                2024-01-01T00:00:00Z,60,embed,12,0
                2024-01-01T00:01:00Z,60,chat,0,1
                2024-01-01T00:02:00Z,60,chat,60,0
                """);
        Workload w = read("counts-csv:" + csv);
        // everything: 30 + 12 + 60; the gap counts nothing
        assertThat(w.requestsIn(0, w.end())).isEqualTo(102);
        // [30 s, 150 s): half of the first minute of both models (15 + 6), the gap, half of the third minute (30)
        assertThat(w.requestsIn(30, 150)).isEqualTo(51);
    }

    @Test
    void aScaleThatLeavesNoExpectedRequestIsAProblemBeforeTheRunAndNotOtherwise() throws IOException {
        Workload w = tenRequests();
        // 10 requests x 1e-300 = 1e-299 expected; one request on average takes 1/10
        assertThat(ScaledWindow.of(w, 0, w.end(), 1e-300).scaleProblem()).isEqualTo("the scaled window holds no requests: rate scale 1e-300 "
                + "keeps an expected 1e-299 of the window's 10 requests (2024-01-01T00:00:00Z to 2024-01-01T01:30:00Z); a rate scale of at "
                + "least 0.1 keeps one on average, and a comparison needs many more");
        // 10 x 0.05 = 0.5 expected: refused; 10 x 0.1 = 1: run
        assertThat(ScaledWindow.of(w, 0, w.end(), 0.05).scaleProblem()).contains("keeps an expected 0.5 of the window's 10 requests");
        assertThat(ScaledWindow.of(w, 0, w.end(), 0.1).scaleProblem()).isNull();
        // a window the trace leaves empty is no fault of the scale: warned, not refused
        ScaledWindow quiet = ScaledWindow.of(w, 660, 1140, 1e-300);
        assertThat(quiet.scaleProblem()).isNull();
        assertThat(quiet.traceEmptyWarning()).isEqualTo("warning: the window 2024-01-01T00:11:00Z to 2024-01-01T00:19:00Z holds no requests "
                + "of the trace: SLO attainment is vacuous, only the cost of idling is measured");
        assertThat(ScaledWindow.of(w, 0, w.end(), 0.1).traceEmptyWarning()).isNull();
    }

    @Test
    void aWindowThatMakesALongRunSaysSoAndWhichScaleWouldNot() throws IOException {
        // one 1-hour interval of 545 M requests (about ServeGen's 2 days): x 12 policies at scale 1 is 6,540 M to simulate;
        // 100 M in all takes a scale of 1e8 / 6.54e9 = 0.0153
        Path csv = Files.writeString(dir.resolve("big.csv"), "interval_start,interval_s,model,count\n2024-01-01T00:00:00Z,3600,chat,545000000\n");
        Workload w = read("counts-csv:" + csv);
        assertThat(ScaledWindow.of(w, 0, w.end(), 1).longRunNote(12)).isEqualTo("note: the window holds about 545 M requests at rate scale 1, "
                + "x 12 runs: 6540 M to simulate, a long run (the progress line gives an ETA); --rate-scale 0.0153 would simulate about 100 M");
        // 545 M x 0.1 x 12 = 654 M: under 1,000 M, nothing said
        assertThat(ScaledWindow.of(w, 0, w.end(), 0.1).longRunNote(12)).isNull();
        assertThat(ScaledWindow.of(w, 0, w.end(), 1).longRunNote(1)).isNull();
    }

    @Test
    void aWindowOfMoreRequestsThanARunCountsIsAScaleProblemNotACrash() throws IOException {
        // one row of 1e308 requests: x 12 policies overflowed to Infinity and the long-run note died in BigDecimal
        Path csv = Files.writeString(dir.resolve("huge.csv"), "interval_start,interval_s,model,count\n2024-01-01T00:00:00Z,600,chat,1e308\n");
        Workload w = read("counts-csv:" + csv);
        assertThat(ScaledWindow.of(w, 0, w.end(), 1).scaleProblem()).startsWith("the scaled window holds about 1e+308 requests (")
                .endsWith("), more than a run can count (2^63, about 9.22e+18); lower the rate scale or check the trace's counts");
        // 1e308 x 1e-290 = 1e18, under 2^63: a scale that brings it within a count is fine
        assertThat(ScaledWindow.of(w, 0, w.end(), 1e-290).scaleProblem()).isNull();
        assertThat(ScaledWindow.of(w, 0, w.end(), 1e-290).longRunNote(12)).contains("x 12 runs: 1.2e+13 M to simulate");
    }

    @Test
    void aSweepSaysItIsLongOverAllItsScenarios() {
        // 24 scenarios of 50 M each: 1,200 M in all, over 1,000 M; 100 M in all takes rateScale x 1e8 / 1.2e9 = 0.0833
        assertThat(ScaledWindow.sweepLongRunNote(24, 24 * 50e6)).isEqualTo("note: the 24 scenarios simulate about 1200 M requests in all, "
                + "a long run (the progress line gives an ETA); rateScale x 0.0833 would simulate about 100 M");
        assertThat(ScaledWindow.sweepLongRunNote(20, 20 * 50e6)).as("1,000 M exactly is not over").isNull();
    }

    @Test
    void aRunThatSawNoRequestIsAProblemOnlyWhereTheTraceHadSome() throws IOException {
        Workload w = tenRequests();
        ScaledWindow s = ScaledWindow.of(w, 0, w.end(), 0.2);
        assertThat(s.emptyRunProblem(0)).isEqualTo("the scaled window held no requests: rate scale 0.2 kept none of the window's 10 requests "
                + "(2024-01-01T00:00:00Z to 2024-01-01T01:30:00Z; 2 expected), so its figures score nothing; raise the rate scale");
        assertThat(s.emptyRunProblem(1)).isNull();
        assertThat(ScaledWindow.of(w, 660, 1140, 1).emptyRunProblem(0)).isNull();
    }
}
