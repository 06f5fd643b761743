package io.prescale.forecasting.models;

import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.events.EventCalendar;

import java.util.ArrayList;
import java.util.List;

/**
 * The design matrix of the Prophet-style model, shared by the runtime fit and the Spark training job so
 * both evaluate the same features: intercept, linear trend in days since {@code originIndex}, hinge
 * terms max(0, t - c) at each changepoint, Fourier terms of the day and week, a holiday flag and one
 * flag per calendar event name.
 */
public record ProphetFeatures(TimeGrid grid, long originIndex, double[] changepointDays, int dailyOrder, int weeklyOrder,
                              EventCalendar calendar) {

    public int size() {
        return 2 + changepointDays.length + 2 * dailyOrder + 2 * weeklyOrder + 1 + calendar.names().size();
    }

    /** Index of the first event flag. */
    public int eventOffset() {
        return size() - calendar.names().size();
    }

    public List<String> names() {
        List<String> n = new ArrayList<>(List.of("intercept", "trend_days"));
        for (double c : changepointDays) n.add("hinge_" + c);
        for (int k = 1; k <= dailyOrder; k++) { n.add("day_sin" + k); n.add("day_cos" + k); }
        for (int k = 1; k <= weeklyOrder; k++) { n.add("week_sin" + k); n.add("week_cos" + k); }
        n.add("holiday");
        for (String e : calendar.names()) n.add("event_" + e);
        return n;
    }

    public void fill(long index, double[] x) {
        int c = 0;
        double days = (index - originIndex) / (double) grid.perDay();
        x[c++] = 1;
        x[c++] = days;
        for (double cp : changepointDays) x[c++] = Math.max(0, days - cp);
        double dayPhase = 2 * Math.PI * Math.floorMod(index, (long) grid.perDay()) / grid.perDay();
        for (int k = 1; k <= dailyOrder; k++) { x[c++] = Math.sin(k * dayPhase); x[c++] = Math.cos(k * dayPhase); }
        long perWeek = 7L * grid.perDay();
        double weekPhase = 2 * Math.PI * Math.floorMod(index, perWeek) / perWeek;
        for (int k = 1; k <= weeklyOrder; k++) { x[c++] = Math.sin(k * weekPhase); x[c++] = Math.cos(k * weekPhase); }
        var at = grid.start(index);
        x[c++] = calendar.holidays().isHoliday(at) ? 1 : 0;
        for (String e : calendar.names()) x[c++] = calendar.active(e, at) ? 1 : 0;
    }

    /** {@code count} changepoints spread evenly over the first 80 % of a window of {@code days} days (Prophet's default). */
    public static double[] evenChangepoints(int count, double days) {
        double[] c = new double[count];
        for (int i = 0; i < count; i++) c[i] = Math.round(0.8 * days * (i + 1) / (count + 1) * 1000) / 1000.0;
        return c;
    }
}
