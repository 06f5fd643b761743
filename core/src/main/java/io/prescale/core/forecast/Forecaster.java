package io.prescale.core.forecast;

import java.time.Duration;
import java.time.Instant;

/**
 * Demand forecaster over per-interval counts. The control loop feeds it each completed interval of
 * each series, in time order, and asks for forecasts only with what it has seen: no future leaks in.
 */
public interface Forecaster {

    /** Catalog id, e.g. "holt-winters". */
    String id();

    /** Length of the intervals it observes and forecasts in. */
    Duration interval();

    /** Count of {@code series} in the interval starting at {@code intervalStart}. NaN marks a masked gap. */
    void observe(String series, Instant intervalStart, double count);

    /** Forecast of {@code series} for the intervals covering [now, now + horizon). */
    Forecast forecast(String series, Instant now, Duration horizon);

    /**
     * Whether it has observed {@code series} at least once. A forecast of a series it has not seen is a cold-start
     * guess (zero demand with a default band), not a forecast: callers that have a better fallback (the
     * observed rate) use it instead. Forecasters that keep no per-series state know every series.
     */
    default boolean knows(String series) {
        return true;
    }

    /**
     * Drops everything kept about {@code series} (its model was removed: a live runner that registers and removes models
     * under fresh names must not keep each one's state for ever); observing it again starts it afresh.
     */
    default void forget(String series) { }

    /** {@link #memory()} unless a forecaster says otherwise: a week of one-minute intervals. */
    long DEFAULT_MEMORY = 7L * 24 * 60;

    /**
     * How many intervals back its state of a series reaches: a caller that would have to hand over more empty
     * intervals than this in a row (a clock that jumped years ahead) may {@link #forget} the series and start it
     * afresh instead (a bounded cost per jump). Always at least 1.
     */
    default long memory() {
        return DEFAULT_MEMORY;
    }

    /** A forecaster for policies that do not forecast: it accepts observations and refuses to forecast. */
    static Forecaster none() {
        return new Forecaster() {
            @Override public String id() { return "none"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String series, Instant intervalStart, double count) { }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) {
                throw new IllegalStateException("no forecaster configured for this run");
            }
        };
    }
}
