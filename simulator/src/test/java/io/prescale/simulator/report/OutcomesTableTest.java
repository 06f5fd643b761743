package io.prescale.simulator.report;

import io.prescale.simulator.metrics.RunResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomesTableTest {

    private static RunResult run(long dropped, long timedOut, double attainment) {
        // 1,000 requests at the given attainment: 1,000 x (1 - attainment) missed, of them dropped + timed out
        RunResult.Totals m = new RunResult.Totals("m", 1000, 1000 - dropped - timedOut, dropped, timedOut, 0, attainment,
                1, 2, 3, 1, 1, 0, 0.5, 0, 0);
        RunResult.Scheduling s = new RunResult.Scheduling(0, 0, 0, "", 0, Map.of(), 1, 0, 0,
                List.of(new RunResult.ModelOutcome("m", "normal", 0, 0, 0, 0, 0)), Map.of(), 0);
        return new RunResult("p", Map.of(), m, List.of(m), List.of(), 0, null, null, null, s);
    }

    private static String print(RunResult r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        OutcomesTable.print(new PrintStream(buf, true, StandardCharsets.UTF_8), List.of(r));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunThatMissesItsSloWithNobodyShortSaysHowManyRequestsWereLate() {
        // 98 % of 1,000: 20 missed, none dropped or timed out, so 20 were served past the SLO
        assertThat(print(run(0, 0, 0.98))).contains("p: nobody short, 20 requests served past the SLO");
    }

    @Test
    void lateCountsOnlyTheMissesNoShortfallColumnCounts() {
        // 97 % of 1,000: 30 missed, 5 dropped and 10 timed out, so 15 late; the model is short (it dropped)
        String text = print(run(5, 10, 0.97));
        assertThat(text).contains("p: 1 of 1 models short, 15 requests served past the SLO");
    }

    @Test
    void aRunWithEveryRequestOnTimeSaysNobodyShortAlone() {
        assertThat(print(run(0, 0, 1.0))).contains("p: nobody short\n");
    }

    @Test
    void aLongModelNameKeepsItsRowUnderTheHeader() {
        String name = "meta-llama/Llama-3.1-70B-Instruct"; // 33 characters, past the 20 the column had
        RunResult.Totals m = new RunResult.Totals(name, 1000, 990, 10, 0, 0, 0.99, 1, 2, 3, 1, 1, 0, 0.5, 0, 0);
        RunResult.Scheduling s = new RunResult.Scheduling(0, 0, 0, "", 0, Map.of(), 1, 0, 0,
                List.of(new RunResult.ModelOutcome(name, "normal", 0, 0, 0, 0, 0)), Map.of(), 0);
        String[] lines = print(new RunResult("p", Map.of(), m, List.of(m), List.of(), 0, null, null, null, s)).split("\n");
        String header = null, row = null;
        for (String l : lines) {
            if (l.startsWith("  model ")) header = l;
            if (l.startsWith("  " + name)) row = l;
        }
        assertThat(header).isNotNull();
        assertThat(row).isNotNull();
        // every column ends where its header does: the row is as long as the header, "normal" under "class"
        assertThat(row.length()).isEqualTo(header.length());
        assertThat(row.indexOf("normal")).isEqualTo(header.indexOf("class"));
    }

    @Test
    void aModelWithNoRequestsHasNoAttainmentInTheReportNot100Percent() {
        // a model the window sent nothing (ServeGen's mm-image some hours) was shown at 100.00 % beside the others
        RunResult.Totals idle = new RunResult.Totals("idle", 0, 0, 0, 0, 0, 1.0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
        RunResult.Totals busy = new RunResult.Totals("busy", 1000, 1000, 0, 0, 0, 1.0, 1, 2, 3, 1, 1, 0, 0.5, 0, 0);
        RunResult.Scheduling s = new RunResult.Scheduling(0, 0, 0, "", 0, Map.of(), 1, 0, 0,
                List.of(new RunResult.ModelOutcome("idle", "normal", 0, 0, 0, 0, 0), new RunResult.ModelOutcome("busy", "normal", 0, 0, 0, 0, 0)), Map.of(), 0);
        String html = OutcomesTable.html(List.of(new RunResult("p", Map.of(), busy, List.of(idle, busy), List.of(), 0, null, null, null, s)));
        assertThat(html).contains("<td>idle</td><td>normal</td><td>0</td><td>– (no requests)</td>")
                .contains("<td>busy</td><td>normal</td><td>1000</td><td>100.00%</td>");
    }
}
