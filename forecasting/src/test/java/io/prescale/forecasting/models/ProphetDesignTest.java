package io.prescale.forecasting.models;

import io.prescale.forecasting.History;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.events.CalendarEvent;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.events.Holidays;
import io.prescale.forecasting.fit.LeastSquares;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fast design (Fourier tables, phase-grouped normal equations, cached Fourier block) against the plain row-by-row one. */
class ProphetDesignTest {
    private static final TimeGrid TEN_MIN = new TimeGrid(Duration.ofMinutes(10));
    private static final Instant DAY3 = Instant.parse("1970-01-04T00:00:00Z");

    private static EventCalendar calendar() {
        return new EventCalendar(List.of(
                new CalendarEvent("promo", DAY3.plus(Duration.ofHours(12)), DAY3.plus(Duration.ofHours(18)), OptionalDouble.of(2)),
                new CalendarEvent("promo", DAY3.plus(Duration.ofDays(7)), DAY3.plus(Duration.ofDays(7).plusHours(5)), OptionalDouble.empty()),
                new CalendarEvent("launch", DAY3.plus(Duration.ofDays(9)), DAY3.plus(Duration.ofDays(9).plusHours(2)), OptionalDouble.empty())),
                Holidays.US);
    }

    @Test
    void rowsAreExactlyTheFeatureRows() {
        for (TimeGrid grid : List.of(TEN_MIN, new TimeGrid(Duration.ofSeconds(1)))) {   // 1 s: the weekly cycle is too long to tabulate
            ProphetFeatures f = new ProphetFeatures(grid, 1000, new double[]{1.5, 4, 9.25}, 8, 3, calendar());
            ProphetDesign d = new ProphetDesign(f);
            double[] want = new double[f.size()], got = new double[f.size()];
            Random r = new Random(7);
            for (int i = 0; i < 3000; i++) {
                long index = i < 1500 ? i * 7L : r.nextInt(30 * grid.perDay());
                f.fill(index, want);
                d.fill(index, got);
                assertThat(got).as("row %d on %s", index, grid.interval()).containsExactly(want);
            }
        }
    }

    @Test
    void groupedNormalEquationsGiveTheRowByRowFitOverSlidingWindows() {
        int perDay = TEN_MIN.perDay();
        History z = new History(28 * perDay);
        Random r = new Random(3);
        ProphetDesign previous = null;
        int reuses = 0, fits = 0;
        for (long t = 0; t < 40L * perDay; t++) {
            boolean gap = (t >= 5 * perDay && t < 5 * perDay + 30) || (t >= 31 * perDay && t < 31 * perDay + 7);
            double v = gap ? Double.NaN : Math.log1p(500 * (1 + 0.5 * Math.sin(2 * Math.PI * t / perDay)) * (1 + 0.1 * r.nextGaussian()));
            z.put(t, v);
            if (t < 2 * perDay || (t + 1) % perDay != 0) continue;
            int n = z.length();
            long start = z.lastIndex() - n + 1;
            double days = n / (double) perDay;
            int weekly = days >= 7 ? 3 : 0;
            ProphetFeatures f = new ProphetFeatures(TEN_MIN, start, ProphetFeatures.evenChangepoints(8, days), 8, weekly, calendar());
            for (int stride : new int[]{1, 3}) {
                ProphetDesign d = new ProphetDesign(f);
                if (stride == 1) d.inheritCache(previous);
                boolean[] seenFast = new boolean[2], seenRows = new boolean[2];
                LeastSquares fast = d.normalEquations(z, start, n, stride, seenFast);
                LeastSquares rows = rowByRow(f, z, start, n, stride, seenRows);
                assertThat(fast.rows()).isEqualTo(rows.rows());
                assertThat(seenFast).containsExactly(seenRows);
                double[] a = fast.solve(1, 0), b = rows.solve(1, 0);
                for (int k = 0; k < a.length; k++) assertThat(a[k]).as("coefficient %d at t=%d stride %d", k, t, stride).isCloseTo(b[k], within(1e-9 * (1 + Math.abs(b[k]))));
                if (stride == 1) {
                    if (d.reusedFourierBlock()) reuses++;
                    previous = d;
                    fits++;
                }
            }
        }
        // full gap-free 4-week windows repeat the same rows per phase; windows gaining or losing a gap do not
        assertThat(reuses).isBetween(3, fits - 10);
    }

    /** The plain fit: one {@link ProphetFeatures#fill} row per observed interval. */
    private static LeastSquares rowByRow(ProphetFeatures f, History z, long start, int n, int stride, boolean[] seen) {
        double[] row = new double[f.size()];
        LeastSquares ls = new LeastSquares(f.size());
        for (int i = n - 1; i >= 0; i -= stride) {
            double v = z.get(start + i);
            if (Double.isNaN(v)) continue;
            f.fill(start + i, row);
            for (int e = 0; e < seen.length; e++) seen[e] |= row[f.eventOffset() + e] != 0;
            ls.add(row, v);
        }
        return ls;
    }
}
