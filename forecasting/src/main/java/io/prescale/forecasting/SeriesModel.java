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
}
