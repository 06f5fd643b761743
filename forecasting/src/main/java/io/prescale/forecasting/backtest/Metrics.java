package io.prescale.forecasting.backtest;

/** Accumulates errors of forecasts against actuals; masked actuals are never added. */
public final class Metrics {
    private double absErr, absActual, pin50, pin90;
    private int covered, n;

    public void add(double actual, double point, double p50, double p90) {
        if (Double.isNaN(actual)) return;
        absErr += Math.abs(actual - point);
        absActual += Math.abs(actual);
        pin50 += pinball(actual, p50, 0.5);
        pin90 += pinball(actual, p90, 0.9);
        if (actual <= p90) covered++;
        n++;
    }

    public static double pinball(double actual, double q, double tau) {
        double d = actual - q;
        return d >= 0 ? tau * d : (tau - 1) * d;
    }

    public int count() {
        return n;
    }

    public Score score(String forecaster, double scale) {
        if (n == 0) return new Score(forecaster, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        return new Score(forecaster, absErr / n / scale, absActual == 0 ? Double.NaN : absErr / absActual,
                pin50 / n / scale, pin90 / n / scale, covered / (double) n, n);
    }

    /** In-sample MAE of the seasonal naive forecast with season {@code m} over values[0, end). */
    public static double seasonalNaiveScale(double[] values, int end, int m) {
        double s = 0;
        int c = 0;
        for (int i = m; i < end; i++) {
            double a = values[i], b = values[i - m];
            if (Double.isNaN(a) || Double.isNaN(b)) continue;
            s += Math.abs(a - b);
            c++;
        }
        return c == 0 ? Double.NaN : s / c;
    }
}
