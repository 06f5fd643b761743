package io.prescale.simulator.cli;

import io.prescale.core.text.Plural;
import io.prescale.simulator.engine.Simulation;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Prints simulated progress, request throughput and an ETA to stderr: on a terminal one line redrawn in place at
 * most once a second; elsewhere (a log file, a pipe, CI) a line of its own at each tenth of the way and at the end,
 * as a redrawn line there is a run of carriage returns, one a second, that a log viewer shows as one long line.
 */
final class ProgressPrinter implements Simulation.Progress {
    /** The launcher says whether stderr is a terminal ({@code [[ -t 2 ]]}); without it, whether the JVM has a console. */
    static final String TTY_PROPERTY = "prescale.stderr.tty";

    private final PrintStream err;
    private final int policies;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long started;
    private final Map<String, double[]> state = new TreeMap<>();
    private long lastPrint;
    private int lastTenth = -1;

    ProgressPrinter(PrintStream err, int policies) {
        this(err, policies, stderrIsTerminal(), System::nanoTime);
    }

    ProgressPrinter(PrintStream err, int policies, boolean terminal, LongSupplier nanoTime) {
        this.err = err;
        this.policies = policies;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    static boolean stderrIsTerminal() {
        String p = System.getProperty(TTY_PROPERTY);
        return p != null ? Boolean.parseBoolean(p) : System.console() != null;
    }

    @Override
    public synchronized void at(String policy, double fraction, long requestsSoFar) {
        state.put(policy, new double[]{fraction, requestsSoFar});
        long now = nanoTime.getAsLong();
        double sum = 0, req = 0;
        for (double[] s : state.values()) {
            sum += s[0];
            req += s[1];
        }
        double done = sum / policies;
        if (terminal) {
            if (now - lastPrint < 1_000_000_000L && fraction < 1) return;
        } else {
            int tenth = (int) Math.floor(10 * done + 1e-9);
            if (tenth <= lastTenth) return;
            lastTenth = tenth;
        }
        lastPrint = now;
        double wall = (now - started) / 1e9;
        double eta = done > 0 ? wall * (1 - done) / done : Double.NaN;
        err.printf(Locale.ROOT, (terminal ? "\r" : "") + "  simulated %5.1f%% of %s | %s %s | %s req/s | ETA %s" + (terminal ? "   " : "%n"),
                100 * done, Plural.count(policies, "policy", "policies"), count(req), req == 1 ? "request" : "requests",
                count(req / Math.max(wall, 1e-9)),
                Double.isNaN(eta) ? "-" : String.format(Locale.ROOT, "%.0fs", eta));
        err.flush();
    }

    /** "0.0 M requests" said nothing on a small trace: below a million in k, below a thousand as is. */
    static String count(double n) {
        if (n >= 1e6) return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        if (n >= 1e3) return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        return String.format(Locale.ROOT, "%.0f", n);
    }

    /** Ends the redrawn line; off a terminal every line has ended already. */
    void finish() {
        if (terminal) err.println();
    }
}
