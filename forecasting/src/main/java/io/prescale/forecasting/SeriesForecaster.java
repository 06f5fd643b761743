package io.prescale.forecasting;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link Forecaster} over many series: one {@link SeriesModel} per series gives point forecasts,
 * one {@link ConformalCalibrator} per series turns them into quantiles. After every observed
 * interval it issues the next {@code calibrationSteps} forecasts, scores them once the actuals
 * arrive, and serves {@link #forecast} from that cache when asked at the natural origin (the common
 * control-loop case), so a tick costs one model update plus one short prediction.
 *
 * <p>Documented fallbacks: a series never observed forecasts zero demand (with the cold-start band of
 * the calibrator); intervals skipped between two observations are treated as masked gaps; a gap
 * longer than the model's memory ({@code resetAfter}) restarts the series from scratch; point forecasts
 * are capped at 3x the largest count the series has shown (a guard against explosive extrapolation).
 */
public final class SeriesForecaster implements Forecaster {
    private final String id;
    private final TimeGrid grid;
    private final ModelBuilder builder;
    private final Calibration calibration;
    private final Map<String, Track> tracks = new HashMap<>();

    /** Calibration settings shared by every forecaster (catalog params {@code calibrationSteps}, {@code calibrationWindow}). */
    public record Calibration(int steps, int window, int minResiduals, int resetAfter) {
        public static final Calibration DEFAULTS = new Calibration(6, 288, 24, 7 * 24 * 60);

        public Calibration {
            if (steps < 1 || steps > 1000) throw new IllegalArgumentException("calibrationSteps must be in 1..1000, got " + steps);
            if (window < 10) throw new IllegalArgumentException("calibrationWindow must be >= 10, got " + window);
        }
    }

    private final class Track {
        final SeriesModel model;
        final ConformalCalibrator cal;
        final double[][] issued;       // issued[o % steps] = forecasts made at origin o for o, o+1, ...
        final long[] issuedOrigin;
        long last = Long.MIN_VALUE;
        double maxSeen = 0;

        Track(String series) {
            model = builder.newModel(series);
            cal = new ConformalCalibrator(calibration.steps(), calibration.window(), calibration.minResiduals());
            issued = new double[calibration.steps()][calibration.steps()];
            issuedOrigin = new long[calibration.steps()];
            java.util.Arrays.fill(issuedOrigin, Long.MIN_VALUE);
        }

        void add(long index, double value) {
            int h = issued.length;
            if (!Double.isNaN(value)) {
                double logActual = Math.log1p(Math.max(value, 0));   // once for every lead that forecast it
                for (int k = 0; k < h; k++) {
                    long o = index - k;
                    int slot = (int) Math.floorMod(o, (long) h);
                    if (issuedOrigin[slot] == o) cal.recordLog(k, issued[slot][k], logActual);
                }
            }
            model.update(index, value);
            if (value > maxSeen) maxSeen = value;
            last = index;
            int slot = (int) Math.floorMod(index + 1, (long) h);
            model.predict(index + 1, issued[slot]);
            guard(issued[slot]);
            issuedOrigin[slot] = index + 1;
        }

        /** Caps point forecasts at 3x the largest count seen: log-scale models can extrapolate explosively on bursty series. */
        void guard(double[] point) {
            double cap = 3 * Math.max(maxSeen, 1);
            for (int i = 0; i < point.length; i++) if (!(point[i] <= cap)) point[i] = Double.isNaN(point[i]) ? 0 : cap;
        }
    }

    public SeriesForecaster(String id, Duration interval, ModelBuilder builder, Calibration calibration) {
        this.id = id;
        this.grid = new TimeGrid(interval);
        this.builder = builder;
        this.calibration = calibration;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Duration interval() {
        return grid.interval();
    }

    /** A gap longer than {@code resetAfter} intervals restarts a series here too. */
    @Override
    public long memory() {
        return Math.max(1, calibration.resetAfter());
    }

    public TimeGrid grid() {
        return grid;
    }

    @Override
    public void observe(String series, Instant intervalStart, double count) {
        if (count < 0 || Double.isInfinite(count))
            throw new IllegalArgumentException("count of " + series + " at " + intervalStart + " must be >= 0 or NaN (gap), got " + count);
        long idx = grid.index(intervalStart);
        Track t = tracks.get(series);
        if (t != null && idx <= t.last)
            throw new IllegalArgumentException("interval " + intervalStart + " of " + series + " observed out of order (last " + grid.start(t.last) + ")");
        if (t == null || idx - t.last > calibration.resetAfter()) {
            t = new Track(series);
            tracks.put(series, t);
        } else {
            for (long k = t.last + 1; k < idx; k++) t.add(k, Double.NaN);
        }
        t.add(idx, count);
    }

    @Override
    public Forecast forecast(String series, Instant now, Duration horizon) {
        if (horizon.isNegative() || horizon.isZero()) throw new IllegalArgumentException("horizon must be > 0, got " + horizon);
        long from = grid.index(now);
        long to = grid.index(now.plus(horizon).minusNanos(1));
        Track t = tracks.get(series);
        if (t == null) return coldStart(series, from, (int) (to - from + 1));
        from = Math.max(from, t.last + 1);
        to = Math.max(to, from);
        int n = (int) (to - from + 1);
        int lead0 = (int) (from - (t.last + 1));
        double[] point;
        int h = t.issued.length;
        int slot = (int) Math.floorMod(t.last + 1, (long) h);
        if (lead0 + n <= h && t.issuedOrigin[slot] == t.last + 1) {
            point = t.issued[slot];
        } else {
            point = new double[lead0 + n];
            t.model.predict(t.last + 1, point);
            t.guard(point);
        }
        double[] mean = new double[n], p50 = new double[n], p90 = new double[n], p95 = new double[n];
        double[] q = new double[3];
        for (int i = 0; i < n; i++) {
            double m = Math.max(0, point[lead0 + i]);
            t.cal.quantiles(lead0 + i, m, q);
            mean[i] = m;
            p50[i] = q[0];
            p90[i] = q[1];
            p95[i] = q[2];
        }
        return new Forecast(series, grid.start(from), grid.interval(), mean, p50, p90, p95);
    }

    private Forecast coldStart(String series, long from, int n) {
        double[] zero = new double[n];
        double[] q = new double[3];
        new ConformalCalibrator(1, 10, 10).quantiles(0, 0, q);
        double[] p90 = new double[n], p95 = new double[n];
        java.util.Arrays.fill(p90, q[1]);
        java.util.Arrays.fill(p95, q[2]);
        return new Forecast(series, grid.start(from), grid.interval(), zero, zero, p90, p95);
    }

    @Override
    public void forget(String series) {
        tracks.remove(series);
    }

    /** Whether {@code series} has been observed at least once (an unseen one gets the cold-start forecast). */
    @Override
    public boolean knows(String series) {
        return tracks.containsKey(series);
    }
}
