package io.prescale.simulator.report;

import io.prescale.core.text.Percent;
import io.prescale.simulator.metrics.RunResult;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The results table printed to the terminal (the last column: requests served within their SLO per GPU-hour). */
public final class ConsoleTable {
    private ConsoleTable() {}

    public static void print(PrintStream out, List<RunResult> results) {
        String fmt = "%-28s %8s %10s %10s %11s %8s %9s %9s %9s %14s%n";
        out.printf(Locale.ROOT, fmt, "policy", "SLO", "p99 ms", "GPU-h", "cost USD", "cold", "dropped", "timeout", "util", "SLO req/GPU-h");
        for (RunResult r : results) {
            var t = r.totals();
            out.printf(Locale.ROOT, fmt, r.policy(), Percent.sign(t.sloAttainment(), 2),
                    Double.isNaN(t.p99Ms()) ? "-" : String.format(Locale.ROOT, "%.0f", t.p99Ms()),
                    String.format(Locale.ROOT, "%.2f", t.gpuHours()), String.format(Locale.ROOT, "%.2f", t.costUsd()),
                    t.coldStarts(), t.dropped(), t.timedOut(), util(t.meanUtilization()), perGpuHour(t.sloRequestsPerGpuHour()));
        }
    }

    /** Requests within the SLO per GPU-hour, whole, but a tenth below 100 (GenTD26: 12.4); "-" for a run with no GPU-hour. */
    public static String perGpuHour(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v < 99.95 ? "%.1f" : "%.0f", v);
    }

    /** Whole percents, but a tenth below 10 %: 0.37 % of 31,159 GPU-hours busy printed as "0%", i.e. as none. */
    static String util(double fraction) {
        double pct = 100 * fraction;
        return pct >= 9.95 ? String.format(Locale.ROOT, "%.0f%%", pct) : utilTenths(fraction);
    }

    /**
     * To a tenth of a percent, but "<0.1%" for a utilisation above zero that rounds to none: 0.03 % of 1,952
     * GPU-hours busy (reactive.hpa on two days of alibaba-genai) printed as "0.0%".
     */
    public static String utilTenths(double fraction) {
        double pct = 100 * fraction;
        if (Double.isNaN(pct)) return "-";
        return pct > 0 && pct < 0.05 ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", pct);
    }
}
