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

    @Test
    void requestsWithinTheSloPerGpuHourArePrintedStoredAndReported() throws java.io.IOException {
        // 100,000 requests at 99.999 % = 99,999 within the SLO, on 4 GPU-hours: 99,999 / 4 = 24,999.75 per GPU-hour
        var t = new io.prescale.simulator.metrics.RunResult.Totals("all", 100_000, 99_999, 0, 0, 0, 0.99999, 1, 2, 3, 4, 5, 0, 0.5, 0, 0);
        assertThat(t.sloRequestsPerGpuHour()).isCloseTo(24_999.75, org.assertj.core.data.Offset.offset(1e-6));
        // a CPU-only run has no GPU-hour to divide by: none, not infinity
        var cpu = new io.prescale.simulator.metrics.RunResult.Totals("all", 10, 10, 0, 0, 0, 1.0, 1, 2, 3, 0, 5, 0, 0.5, 0, 0);
        assertThat(cpu.sloRequestsPerGpuHour()).isNaN();
        assertThat(ConsoleTable.perGpuHour(Double.NaN)).isEqualTo("-");
        // GenTD26's best configuration: 15,427 x 99.03 % / 1,231.7 = 12.40, not printed as 12
        assertThat(ConsoleTable.perGpuHour(15_427 * 0.9903 / 1_231.7)).isEqualTo("12.4");
        var r = new io.prescale.simulator.metrics.RunResult("oracle", java.util.Map.of(), t, java.util.List.of(t), java.util.List.of(), 0,
                new io.prescale.simulator.metrics.RunResult.Invariants(true, 0.5, true, 0), new double[0][],
                new io.prescale.simulator.metrics.RunResult.Attribution(5, 5, 0), null);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        ConsoleTable.print(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8), java.util.List.of(r));
        String[] lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).endsWith("SLO req/GPU-h");
        assertThat(lines[1]).endsWith(" 25000");
        var summary = Summary.build(new Summary.TraceInfo("t", "", 100_000, 1, "", "", 0, 0, ""), 1, 1, java.util.List.of(
                new io.prescale.simulator.metrics.RunResult(r.policy(), r.params(), t, java.util.List.of(t), java.util.List.of(), 0, r.invariants(),
                        r.latencyCdf(), r.attribution(), new io.prescale.simulator.metrics.RunResult.Scheduling(0, 0, 0, "", 0, java.util.Map.of(), 1, 0, 0))));
        @SuppressWarnings("unchecked")
        var result = ((java.util.List<java.util.Map<String, Object>>) summary.get("results")).get(0);
        assertThat(result.get("sloRequestsPerGpuHour")).isEqualTo(24_999.75);
    }

    @Test
    void reportHtmlShowsUtilisationAndPerGpuHourAsTheTerminalDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        // reactive.hpa on two days of alibaba-genai: 0.0301 % busy; 100 requests within the SLO on 8 GPU-hours: 12.5 per GPU-hour
        var t = new io.prescale.simulator.metrics.RunResult.Totals("all", 100, 100, 0, 0, 0, 1.0, 1, 2, 3, 8, 5, 0, 0.000301, 0, 0);
        assertThat(t.sloRequestsPerGpuHour()).isEqualTo(12.5);
        assertThat(ConsoleTable.util(0.000301)).isEqualTo("<0.1%"); // printed "0.0%": as none
        assertThat(ConsoleTable.utilTenths(0.0005)).isEqualTo("0.1%");
        assertThat(ConsoleTable.utilTenths(0.0)).isEqualTo("0.0%");
        assertThat(ConsoleTable.utilTenths(0.81)).isEqualTo("81.0%");
        var r = new io.prescale.simulator.metrics.RunResult("reactive.hpa", java.util.Map.of(), t, java.util.List.of(t), java.util.List.of(), 0,
                new io.prescale.simulator.metrics.RunResult.Invariants(true, 0.5, true, 0), new double[0][],
                new io.prescale.simulator.metrics.RunResult.Attribution(5, 5, 0),
                new io.prescale.simulator.metrics.RunResult.Scheduling(0, 0, 0, "", 0, java.util.Map.of(), 1, 0, 0));
        java.nio.file.Path f = dir.resolve("report.html");
        HtmlReport.write(f, "t", new Summary.TraceInfo("t", "", 100, 1, "", "", 0, 0, ""), java.util.List.of(r), java.util.Map.of(), "");
        String html = java.nio.file.Files.readString(f);
        // the results table: "0.0%" and "12" (whole) where the terminal said "<0.1%" and "12.5"
        assertThat(html).contains("<td>&lt;0.1%</td><td>12.5</td>").doesNotContain("<td>0.0%</td>").doesNotContain("<td>12</td>");
    }

    @Test
    void aModelWithNoRequestsHasNoAttainmentInTheSummaryNotAPerfectOne() {
        // Totals(model, requests, served, ..., sloAttainment = 1.0, ...): the run's counters say 1.0 for a model nobody asked for
        var busy = new io.prescale.simulator.metrics.RunResult.Totals("busy", 100, 99, 0, 1, 0, 0.99, 1, 2, 3, 4, 5, 0, 0.5, 0, 0);
        var idle = new io.prescale.simulator.metrics.RunResult.Totals("idle", 0, 0, 0, 0, 0, 1.0, 0, 0, 0, 4, 5, 0, 0.0, 0, 0);
        var all = new io.prescale.simulator.metrics.RunResult.Totals("all", 100, 99, 0, 1, 0, 0.99, 1, 2, 3, 8, 10, 0, 0.25, 0, 0);
        var r = new io.prescale.simulator.metrics.RunResult("oracle", java.util.Map.of(), all, java.util.List.of(busy, idle), java.util.List.of(), 0,
                new io.prescale.simulator.metrics.RunResult.Invariants(true, 0.5, true, 0), new double[0][],
                new io.prescale.simulator.metrics.RunResult.Attribution(10, 10, 0),
                new io.prescale.simulator.metrics.RunResult.Scheduling(0, 0, 0, "", 0, java.util.Map.of(), 1, 0, 0));
        var summary = Summary.build(new Summary.TraceInfo("t", "", 100, 2, "", "", 0, 0, ""), 1, 1, java.util.List.of(r));
        @SuppressWarnings("unchecked")
        var result = ((java.util.List<java.util.Map<String, Object>>) summary.get("results")).get(0);
        @SuppressWarnings("unchecked")
        var models = (java.util.List<java.util.Map<String, Object>>) result.get("models");
        assertThat(models.get(0).get("sloAttainment")).isEqualTo(0.99);
        assertThat(models.get(1)).containsEntry("sloAttainment", null).containsEntry("requests", 0L);
        assertThat(result.get("sloAttainment")).isEqualTo(0.99); // the run's own figure is untouched
    }
}
