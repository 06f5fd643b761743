package io.prescale.simulator.setup;

import io.prescale.simulator.workload.Workload;

import java.util.Locale;

/**
 * What a scored window holds once its rate scale is applied. A scale so small that no request survives (1e-300) ran
 * every policy on nothing, printed 100 % SLO attainment and exited 0; {@code simulate} and {@code sweep} refuse it
 * before the run, and refuse a run whose scaled window turned out empty after it (thinning is random: an expected
 * 2 requests are none one time in seven). A window the trace itself leaves empty (a quiet night of a request trace)
 * is not a mistake of the scale: it is run, with a warning, for what idling costs.
 *
 * @param traceRequests the trace's requests in the window before the scale ({@link Workload#requestsIn})
 * @param scale         the rate scale
 */
public record ScaledWindow(String window, double traceRequests, double scale) {

    /** The window [from, to) of {@code w} at {@code scale}. */
    public static ScaledWindow of(Workload w, double from, double to, double scale) {
        return new ScaledWindow(w.at(from) + " to " + w.at(to), w.requestsIn(from, to), scale);
    }

    /** The requests the scaled window holds on average. */
    public double expectedRequests() {
        return traceRequests * scale;
    }

    /** The trace has no request in the window, whatever the scale. */
    public boolean traceEmpty() {
        return !(traceRequests > 0);
    }

    /**
     * Why the scale leaves the window without requests before the run (fewer than one expected), or null. Said after
     * the name of the flag or field that holds the scale ({@code --rate-scale: ...}, {@code rateScale[1]: ...}).
     */
    public String scaleProblem() {
        if (!(expectedRequests() < Long.MAX_VALUE)) // a count of 1e308 in a row: said here, not as BigDecimal's "Infinite or NaN" in a note
            return "the scaled window holds about " + g(expectedRequests()) + " requests (" + window + "), more than a run can count "
                    + "(2^63, about 9.22e+18); lower the rate scale or check the trace's counts";
        if (traceEmpty() || expectedRequests() >= 1) return null;
        return "the scaled window holds no requests: rate scale " + g(scale) + " keeps an expected " + g(expectedRequests())
                + " of the window's " + count(traceRequests) + " requests (" + window + "); a rate scale of at least "
                + g(1 / traceRequests) + " keeps one on average, and a comparison needs many more";
    }

    /** After a run that saw {@code arrived} requests in the scored window: why it means nothing, or null. */
    public String emptyRunProblem(long arrived) {
        if (arrived > 0 || traceEmpty()) return null;
        return "the scaled window held no requests: rate scale " + g(scale) + " kept none of the window's " + count(traceRequests)
                + " requests (" + window + "; " + g(expectedRequests()) + " expected), so its figures score nothing; raise the rate scale";
    }

    /** Requests simulated over all runs of a window beyond which a run is long enough to say so before it starts. */
    public static final double LONG_RUN_REQUESTS = 1e9;

    /**
     * A note for {@code runs} runs of this window that simulate more than {@link #LONG_RUN_REQUESTS} requests in all
     * (ServeGen's 2 days at rate scale 1, 545 M requests, x 12 policies), or null: the scale a new user left out.
     */
    public String longRunNote(int runs) {
        double total = expectedRequests() * runs;
        if (!(total > LONG_RUN_REQUESTS)) return null;
        double keep = LONG_RUN_REQUESTS / 10 / total * scale; // a scale that simulates 1e8 in all
        return "note: the window holds about " + millions(expectedRequests()) + " requests at rate scale " + g(scale) + ", x " + runs
                + (runs == 1 ? " run" : " runs") + ": " + millions(total) + " to simulate, a long run (the progress line gives an ETA); "
                + "--rate-scale " + g(keep) + " would simulate about " + millions(LONG_RUN_REQUESTS / 10);
    }

    /**
     * A sweep's note when its {@code scenarios} simulate more than {@link #LONG_RUN_REQUESTS} requests in all
     * ({@code expectedInAll}, each scenario's scaled window summed), or null: a rate scale left at 1 in a grid of dozens.
     */
    public static String sweepLongRunNote(int scenarios, double expectedInAll) {
        if (!(expectedInAll > LONG_RUN_REQUESTS)) return null;
        return "note: the " + scenarios + " scenarios simulate about " + millions(expectedInAll) + " requests in all, a long run (the "
                + "progress line gives an ETA); rateScale x " + g(LONG_RUN_REQUESTS / 10 / expectedInAll) + " would simulate about "
                + millions(LONG_RUN_REQUESTS / 10);
    }

    private static String millions(double n) {
        return g(n / 1e6) + " M";
    }

    /** The warning for a window the trace leaves empty, or null. */
    public String traceEmptyWarning() {
        if (!traceEmpty()) return null;
        return "warning: the window " + window + " holds no requests of the trace: SLO attainment is vacuous, only the cost of idling is measured";
    }

    private static String g(double x) {
        if (!Double.isFinite(x)) return x > 0 ? "infinitely many" : String.valueOf(x);
        // three significant digits: 0.005, 3.55e-5, 2.82e-296
        java.math.BigDecimal b = new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros();
        return x >= 1e-4 && x < 1e7 ? b.toPlainString() : b.toString().replace('E', 'e');
    }

    private static String count(double n) {
        return n >= 1 && n < Long.MAX_VALUE ? String.format(Locale.ROOT, "%,d", Math.round(n)) : g(n); // a count trace's share of an interval is fractional
    }
}
