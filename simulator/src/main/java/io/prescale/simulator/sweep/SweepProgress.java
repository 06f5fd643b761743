package io.prescale.simulator.sweep;

import io.prescale.core.text.Plural;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A sweep's progress within its running scenarios, with an ETA, as {@code simulate}'s progress line: on a terminal
 * one line redrawn in place at most once a second; elsewhere (a log file, a pipe, CI) a line of its own at each tenth
 * of the way, as a redrawn line there is a run of carriage returns that a log viewer shows as one long line. A
 * scenario's own line when it finishes ({@link #line}) clears the redrawn one first.
 */
final class SweepProgress implements SweepRunner.Listener {
    /** Prints a scenario's line when it finishes. */
    interface Finished {
        String line(int done, int total, ScenarioResult r);
    }

    private final PrintStream err;
    private final double[] fraction; // how far each scenario is
    private final boolean[] ended;   // which scenarios have finished (at 100 %, one still runs until its result is back)
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final Finished finished;
    private final long started;
    private long lastPrint;
    private int lastTenth = 0;
    private int shown;               // the width of the line drawn on the terminal now, 0 when none
    private int done;

    SweepProgress(PrintStream err, int scenarios, boolean terminal, LongSupplier nanoTime, Finished finished) {
        this.err = err;
        this.fraction = new double[scenarios];
        this.ended = new boolean[scenarios];
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.finished = finished;
        this.started = nanoTime.getAsLong();
        this.lastPrint = started;
    }

    @Override
    public synchronized void running(int scenario, double f) {
        if (scenario < 0 || scenario >= fraction.length || !(f >= 0)) return;
        fraction[scenario] = Math.max(fraction[scenario], Math.min(1, f));
        redraw(false);
    }

    @Override
    public synchronized void finished(int done, int total, ScenarioResult r) {
        this.done = Math.max(this.done, done);
        if (r != null) {
            int i = r.scenario().index();
            if (i >= 0 && i < fraction.length) {
                fraction[i] = 1;
                ended[i] = true;
            }
        }
        line(finished.line(done, total, r));
        redraw(done == total);
    }

    /** The fraction of the whole sweep done: the mean of its scenarios'. */
    synchronized double done() {
        double sum = 0;
        for (double f : fraction) sum += f;
        return fraction.length == 0 ? 1 : sum / fraction.length;
    }

    /** Prints a line of its own, clearing the redrawn progress line first on a terminal. */
    synchronized void line(String s) {
        if (terminal && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
        err.println(s);
        err.flush();
    }

    private void redraw(boolean last) {
        long now = nanoTime.getAsLong();
        double d = done();
        if (terminal) {
            if (!last && now - lastPrint < 1_000_000_000L) return;
        } else {
            int tenth = (int) Math.floor(10 * d + 1e-9);
            if (tenth <= lastTenth) return;
            lastTenth = tenth;
        }
        lastPrint = now;
        double wall = (now - started) / 1e9;
        double eta = d > 0 ? wall * (1 - d) / d : Double.NaN;
        int running = 0;
        for (int i = 0; i < fraction.length; i++) if (fraction[i] > 0 && !ended[i]) running++;
        String s = String.format(Locale.ROOT, "  swept %5.1f%% of %s (%d done, %d running) | ETA %s", 100 * d,
                Plural.count(fraction.length, "scenario", "scenarios"), done, running,
                Double.isNaN(eta) ? "-" : String.format(Locale.ROOT, "%.0fs", eta));
        if (terminal) {
            err.print("\r" + s + " ".repeat(Math.max(0, shown - s.length())));
            shown = s.length();
            if (last) {
                err.println();
                shown = 0;
            }
        } else {
            err.println(s);
        }
        err.flush();
    }
}
