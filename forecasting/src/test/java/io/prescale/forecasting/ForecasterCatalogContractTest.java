package io.prescale.forecasting;

import io.prescale.core.config.ConfigException;
import io.prescale.core.forecast.Forecast;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.prescale.forecasting.Synthetic.TEN_MIN;
import static io.prescale.forecasting.Synthetic.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every forecaster in the catalog: fits, forecasts, orders its quantiles, is deterministic, survives bad input. */
class ForecasterCatalogContractTest {
    @TempDir
    static Path dir;
    static Path gbt;

    @BeforeAll
    static void fixture() {
        gbt = Synthetic.gbtFixture(dir);
    }

    static List<String> ids() {
        return ForecasterCatalog.ids();
    }

    static Map<String, Object> params(String id) {
        return switch (id) {
            case "gbt" -> Map.of("artifact", gbt.toString());
            case "ensemble" -> Map.of("gbtArtifact", gbt.toString());
            default -> Map.of();
        };
    }

    static Forecast run(String id, double[] values, Duration horizon) {
        SeriesForecaster f = ForecasterCatalog.create(id, TEN_MIN, params(id));
        for (int i = 0; i < values.length; i++) f.observe("m", at(i), values[i]);
        return f.forecast("m", at(values.length), horizon);
    }

    @Test
    void catalogListsEveryIssueForecaster() {
        assertThat(ForecasterCatalog.ids()).containsExactly("seasonal-naive", "holt-winters", "arima", "prophet-style", "gbt", "lstm", "ensemble");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void forecastsOrderedQuantilesDeterministically(String id) {
        double[] v = Synthetic.noisySine(5, 0.05, 1);
        Forecast a = run(id, v, Duration.ofHours(2));
        Forecast b = run(id, v, Duration.ofHours(2));
        assertThat(a.steps()).isEqualTo(12);
        assertThat(a.origin()).isEqualTo(at(v.length));
        for (int k = 0; k < a.steps(); k++) {
            assertThat(a.mean()[k]).isGreaterThanOrEqualTo(0);
            assertThat(a.p50()[k]).isLessThanOrEqualTo(a.p90()[k]);
            assertThat(a.p90()[k]).isLessThanOrEqualTo(a.p95()[k]);
            assertThat(a.p95()[k]).isFinite();
        }
        assertThat(a.mean()).containsExactly(b.mean());
        assertThat(a.p90()).containsExactly(b.p90());
    }

    @ParameterizedTest
    @MethodSource("ids")
    void badInputGivesFallbacksNotCrashes(String id) {
        // too short (3 intervals), all zeros, and masked gaps
        Forecast shortOne = run(id, new double[]{5, 6, 7}, Duration.ofMinutes(30));
        assertFiniteNonNegative(shortOne.mean());
        Forecast zeros = run(id, new double[3 * 144], Duration.ofMinutes(30));
        assertFiniteNonNegative(zeros.p95());
        double[] gappy = Synthetic.dailySine(3);
        for (int i = 100; i < 200; i++) gappy[i] = Double.NaN;
        for (int i = gappy.length - 3; i < gappy.length; i++) gappy[i] = Double.NaN;
        Forecast g = run(id, gappy, Duration.ofMinutes(30));
        assertFiniteNonNegative(g.p90());
    }

    static void assertFiniteNonNegative(double[] v) {
        assertThat(v).isNotEmpty();
        for (double x : v) assertThat(x).isFinite().isGreaterThanOrEqualTo(0);
    }

    @Test
    void unknownIdsAndParamsAreErrorsNamingThePath() {
        assertThatThrownBy(() -> ForecasterCatalog.create("lstm-xl", TEN_MIN, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown forecaster 'lstm-xl'");
        // a typo, in the catalog and in a --forecaster choice: the one it was meant to be
        assertThatThrownBy(() -> ForecasterCatalog.create("holt-winter", TEN_MIN, Map.of()))
                .hasMessageContaining("unknown forecaster 'holt-winter', did you mean holt-winters? (known: ");
        assertThatThrownBy(() -> ForecasterChoice.parse("sesonal-naive", "--forecaster"))
                .hasMessageStartingWith("--forecaster: unknown forecaster 'sesonal-naive', did you mean seasonal-naive? (known: ");
        assertThatThrownBy(() -> ForecasterCatalog.create("lstm", TEN_MIN, Map.of("window", "20m", "fitWindow", "30m")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("forecasters.lstm.fitWindow");
        assertThatThrownBy(() -> ForecasterCatalog.create("holt-winters", TEN_MIN, Map.of("alpha", 0.3)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("forecasters.holt-winters.alpha");
        assertThatThrownBy(() -> ForecasterCatalog.create("gbt", TEN_MIN, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("forecasters.gbt.artifact");
        assertThatThrownBy(() -> ForecasterCatalog.create("gbt", Duration.ofMinutes(5), Map.of("artifact", gbt.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> ForecasterCatalog.create("seasonal-naive", Duration.ofMinutes(7), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("divide one day");
    }

    @Test
    void outOfOrderAndNegativeCountsAreRejected() {
        SeriesForecaster f = ForecasterCatalog.create("seasonal-naive", TEN_MIN, Map.of());
        f.observe("m", at(5), 1);
        assertThatThrownBy(() -> f.observe("m", at(5), 1)).hasMessageContaining("out of order");
        assertThatThrownBy(() -> f.observe("m", at(6), -1)).hasMessageContaining(">= 0");
    }

    @Test
    void unknownSeriesForecastsZeroWithAColdStartBand() {
        Forecast f = ForecasterCatalog.create("holt-winters", TEN_MIN).forecast("never-seen", at(10), Duration.ofMinutes(30));
        assertThat(f.mean()).containsExactly(0, 0, 0);
        assertThat(f.p90()[0]).isGreaterThan(0);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void aForgottenSeriesIsDroppedAndStartsAfresh(String id) {
        SeriesForecaster f = ForecasterCatalog.create(id, TEN_MIN, params(id));
        double[] v = Synthetic.noisySine(2, 0.05, 1);
        for (int i = 0; i < v.length; i++) f.observe("m", at(i), v[i]);
        f.forget("m");
        assertThat(f.knows("m")).isFalse();
        // what a fresh forecaster says of a series it never saw, and no out-of-order refusal for an earlier interval
        Forecast fresh = ForecasterCatalog.create(id, TEN_MIN, params(id)).forecast("m", at(v.length), Duration.ofMinutes(30));
        assertThat(f.forecast("m", at(v.length), Duration.ofMinutes(30)).mean()).containsExactly(fresh.mean());
        f.observe("m", at(0), 3);
        assertThat(f.knows("m")).isTrue();
    }
}
