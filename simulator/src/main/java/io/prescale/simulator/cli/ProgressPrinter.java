package io.prescale.simulator.cli;

import io.prescale.core.text.Plural;
import io.prescale.simulator.engine.Simulation;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Prints simulated progress, request throughput and an ETA to stderr, at most once a second. */
final class ProgressPrinter implements Simulation.Progress {
    private final PrintStream err;
    private final int policies;
    private final long started = System.nanoTime();
    private final Map<String, double[]> state = new TreeMap<>();
    private long lastPrint;

    ProgressPrinter(PrintStream err, int policies) {
        this.err = err;
        this.policies = policies;
    }

    @Override
    public synchronized void at(String policy, double fraction, long requestsSoFar) {
        state.put(policy, new double[]{fraction, requestsSoFar});
        long now = System.nanoTime();
        if (now - lastPrint < 1_000_000_000L && fraction < 1) return;
        lastPrint = now;
        double sum = 0, req = 0;
        for (double[] s : state.values()) {
            sum += s[0];
            req += s[1];
        }
        double done = sum / policies;
        double wall = (now - started) / 1e9;
        double eta = done > 0 ? wall * (1 - done) / done : Double.NaN;
        err.printf(Locale.ROOT, "\r  simulated %5.1f%% of %s | %s requests | %s req/s | ETA %s   ",
                100 * done, Plural.count(policies, "policy", "policies"), count(req), count(req / Math.max(wall, 1e-9)),
                Double.isNaN(eta) ? "-" : String.format(Locale.ROOT, "%.0fs", eta));
        err.flush();
    }

    /** "0.0 M requests" said nothing on a small trace: below a million in k, below a thousand as is. */
    static String count(double n) {
        if (n >= 1e6) return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        if (n >= 1e3) return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        return String.format(Locale.ROOT, "%.0f", n);
    }

    void finish() {
        err.println();
    }
}
