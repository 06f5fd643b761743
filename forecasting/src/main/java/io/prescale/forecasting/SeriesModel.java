package io.prescale.forecasting;

/**
 * The point-forecasting model of one series. {@link SeriesForecaster} feeds it every interval in
 * order (contiguous indices, NaN for a masked or missing interval) and wraps its point forecasts with
 * calibrated quantiles. Implementations keep their own state incremental: {@link #update} runs every
 * control tick, so heavy refits must be amortised (e.g. once per day of data).
 */
public interface SeriesModel {

    /** Value of interval {@code index}, which is always the previous index + 1. NaN = masked gap. */
    void update(long index, double value);

    /**
     * Point forecasts for intervals {@code from, from + 1, ...} into {@code out}; {@code from} is the
     * first interval not yet observed. Values are >= 0; a model with too little data falls back to
     * a simpler rule rather than failing.
     */
    void predict(long from, double[] out);

    /**
     * {@link #predict}, plus the same forecasts on the log1p scale (log1p of each value of {@code out})
     * into {@code logOut} unless it is null. Models that forecast on that scale override this to hand over
     * their own values (equal up to rounding) rather than pay a log1p per value; the ensemble scores its
     * members on this scale every tick.
     */
    default void predict(long from, double[] out, double[] logOut) {
        predict(from, out);
        if (logOut != null) for (int i = 0; i < out.length; i++) logOut[i] = Math.log1p(Math.max(out[i], 0));
    }
}
