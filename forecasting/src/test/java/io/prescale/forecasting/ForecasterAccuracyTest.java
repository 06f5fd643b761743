package io.prescale.forecasting;

import io.prescale.core.forecast.Forecast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.prescale.forecasting.Synthetic.PER_DAY;
import static io.prescale.forecasting.Synthetic.TEN_MIN;
import static io.prescale.forecasting.Synthetic.at;
import static org.assertj.core.api.Assertions.assertThat;

/** Forecasters recover known structure of synthetic series. */
class ForecasterAccuracyTest {

    static Forecast fitAndForecast(String id, Map<String, Object> params, double[] v, int upTo, Duration horizon) {
        SeriesForecaster f = ForecasterCatalog.create(id, TEN_MIN, params);
        for (int i = 0; i < upTo; i++) f.observe("m", at(i), v[i]);
        Forecast fc = f.forecast("m", at(upTo), horizon);
        // every step of the horizon is scored: an empty forecast would pass any error bound below
        assertThat(fc.steps()).as(id).isEqualTo((int) horizon.dividedBy(TEN_MIN));
        return fc;
    }

    static double maxRelError(Forecast f, double[] v, int from) {
        double e = 0;
        for (int k = 0; k < f.steps(); k++) e = Math.max(e, Math.abs(f.mean()[k] - v[from + k]) / v[from + k]);
        return e;
    }

    @Test
    void pureDailySineIsForecastWithinTwoPercentADayAhead() {
        double[] v = Synthetic.dailySine(6);
        int upTo = 5 * PER_DAY;
        for (String id : new String[]{"seasonal-naive", "holt-winters", "arima", "prophet-style"}) {
            Forecast f = fitAndForecast(id, Map.of(), v, upTo, Duration.ofDays(1));
            assertThat(maxRelError(f, v, upTo)).as(id).isLessThan(0.02);
        }
    }

    @Test
    void trendAfterAChangepointIsFollowedByProphetStyleButNotBySeasonalNaive() {
        // flat 1000 for 10 days, then +20 % per day (in log terms: slope log(1.2) per day) with a daily cycle
        int days = 14;
        double[] v = new double[days * PER_DAY];
        for (int i = 0; i < v.length; i++) {
            double d = i / (double) PER_DAY;
            double trend = d < 10 ? 0 : (d - 10) * Math.log(1.2);
            v[i] = 1000 * Math.exp(trend) * (1 + 0.3 * Math.sin(2 * Math.PI * i / PER_DAY));
        }
        int upTo = 13 * PER_DAY;
        Forecast prophet = fitAndForecast("prophet-style", Map.of("refitEvery", "10m", "changepoints", 25), v, upTo, Duration.ofDays(1));
        Forecast naive = fitAndForecast("seasonal-naive", Map.of(), v, upTo, Duration.ofDays(1));
        // seasonal naive is a whole day of growth (20 %) behind; prophet-style extrapolates the new slope
        assertThat(maxRelError(naive, v, upTo)).isGreaterThan(0.15);
        assertThat(maxRelError(prophet, v, upTo)).isLessThan(0.08);
    }

    @Test
    void aPromotionInTheEventCalendarIsCapturedOnlyByEventAwareForecasters(@TempDir Path dir) throws Exception {
        // daily sine; a "sale" doubles demand 12:00-18:00 on days 3, 6, 9 and (the one forecast) day 12
        int days = 13;
        double[] v = Synthetic.dailySine(days);
        StringBuilder csv = new StringBuilder("name,start,end,effect\n");
        for (int d : new int[]{3, 6, 9, 12}) {
            for (int i = d * PER_DAY + 72; i < d * PER_DAY + 108; i++) v[i] *= 2;
            csv.append("sale,").append(at(d * PER_DAY + 72)).append(',').append(at(d * PER_DAY + 108)).append(",\n");
        }
        Path cal = dir.resolve("events.csv");
        Files.writeString(cal, csv);
        int upTo = 12 * PER_DAY + 60;  // 10:00 on day 12, two hours before the sale
        Duration h = Duration.ofHours(6);
        Forecast aware = fitAndForecast("prophet-style", Map.of("events", cal.toString()), v, upTo, h);
        Forecast blind = fitAndForecast("prophet-style", Map.of(), v, upTo, h);
        Forecast hw = fitAndForecast("holt-winters", Map.of(), v, upTo, h);
        int inSale = 12 + 6;  // 13:00, step 18 from 10:00
        double actual = v[upTo + inSale];
        assertThat(aware.mean()[inSale] / actual).isBetween(0.85, 1.15);
        assertThat(blind.mean()[inSale] / actual).isLessThan(0.75);
        assertThat(hw.mean()[inSale] / actual).isLessThan(0.75);
    }

    @Test
    void maskedGapsAreNotLearnedAsZeroDemand() {
        double[] v = Synthetic.dailySine(6);
        for (int i = 4 * PER_DAY; i < 4 * PER_DAY + 60; i++) v[i] = Double.NaN;  // 10 h outage a day before
        int upTo = 5 * PER_DAY;
        Forecast f = fitAndForecast("holt-winters", Map.of(), v, upTo, Duration.ofHours(10));
        assertThat(maxRelError(f, Synthetic.dailySine(6), upTo)).isLessThan(0.05);
    }
}
