package io.prescale.forecasting.backtest;

import java.time.Duration;
import java.time.Instant;

/** One series of counts per {@code interval} from {@code start}; NaN marks a masked gap. */
public record SeriesData(String name, Instant start, Duration interval, double[] values) {
    public SeriesData {
        values = values.clone();
    }

    public int length() {
        return values.length;
    }

    public Instant time(int i) {
        return start.plus(interval.multipliedBy(i));
    }

    /** Non-masked intervals. */
    public int observations() {
        int n = 0;
        for (double v : values) if (!Double.isNaN(v)) n++;
        return n;
    }

    public double total() {
        double s = 0;
        for (double v : values) if (!Double.isNaN(v)) s += v;
        return s;
    }
}
