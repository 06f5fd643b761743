package io.prescale.forecasting.spark;

import io.prescale.forecasting.SeriesForecaster;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.artifact.ProphetArtifact;
import io.prescale.forecasting.backtest.SeriesData;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.models.GbtFeatures;
import io.prescale.forecasting.models.TreeEnsemble;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Spark jobs on local[2] with tiny data: gbt parity inside vs outside Spark, prophet coefficients. */
class SparkTrainingTest {
    static SparkSession spark;
    static final Duration HOUR = Duration.ofHours(1);

    @BeforeAll
    static void start() {
        spark = SparkSessions.start("local[2]", "prescale-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Hourly series (24 per day) for {@code days}: a daily cycle at two volumes, seeded noise. */
    static List<SeriesData> fixture(int days) {
        Random r = new Random(5);
        double[] a = new double[days * 24], b = new double[days * 24];
        for (int i = 0; i < a.length; i++) {
            double cycle = 1 + 0.5 * Math.sin(2 * Math.PI * i / 24);
            a[i] = 100 * cycle * (1 + 0.05 * r.nextGaussian());
            b[i] = 5000 * cycle * (1 + 0.05 * r.nextGaussian());
        }
        return List.of(new SeriesData("a", Instant.EPOCH, HOUR, a), new SeriesData("b", Instant.EPOCH, HOUR, b));
    }

    @Test
    void gbtArtifactPredictsExactlyWhatSparkPredicts(@TempDir Path dir) {
        List<SeriesData> series = fixture(6);
        var st = new GbtTrainer.Settings(3, 5, 3, 0.3, 1, 1);
        var result = GbtTrainer.train(spark, series, Map.of(), EventCalendar.EMPTY, st, Map.of());
        Path file = dir.resolve("gbt.json");
        Artifacts.write(file, result.artifact());
        GbtArtifact back = Artifacts.readGbt(file);
        assertThat(back.trees()).hasSize(5);
        TreeEnsemble outside = new TreeEnsemble(back.trees(), GbtFeatures.NAMES.size());
        List<Row> predicted = result.model().transform(result.rows()).select("features", "prediction").collectAsList();
        assertThat(predicted).hasSizeGreaterThan(100);
        for (Row row : predicted) {
            double inside = row.getDouble(1);
            assertThat(outside.predict(((Vector) row.get(0)).toArray())).isCloseTo(inside, within(1e-9));
        }
        // and the runtime forecaster loads it and forecasts sensibly (within 30 % of the cycle's level)
        SeriesForecaster f = ForecasterCatalog.create("gbt", HOUR, Map.of("artifact", file.toString()));
        double[] v = series.get(1).values();
        for (int i = 0; i < v.length; i++) f.observe("b", series.get(1).time(i), v[i]);
        double next = f.forecast("b", series.get(1).time(v.length), HOUR).mean()[0];
        double expected = 5000 * (1 + 0.5 * Math.sin(2 * Math.PI * v.length / 24));
        assertThat(next / expected).isBetween(0.7, 1.3);
    }

    @Test
    void prophetCoefficientsFromSparkDriveTheRuntimeForecaster(@TempDir Path dir) {
        List<SeriesData> series = fixture(5);
        ProphetArtifact a = ProphetTrainer.train(spark, series, Map.of(), EventCalendar.EMPTY, ProphetTrainer.Settings.DEFAULTS);
        assertThat(a.series()).containsOnlyKeys("a", "b");
        Path file = dir.resolve("prophet.json");
        Artifacts.write(file, a);
        SeriesForecaster f = ForecasterCatalog.create("prophet-style", HOUR, Map.of("artifact", file.toString()));
        SeriesData b = series.get(1);
        for (int i = 0; i < b.length(); i++) f.observe("b", b.time(i), b.values()[i]);
        double[] mean = f.forecast("b", b.time(b.length()), Duration.ofDays(1)).mean();
        for (int k = 0; k < 24; k++) {
            double expected = 5000 * (1 + 0.5 * Math.sin(2 * Math.PI * (b.length() + k) / 24));
            assertThat(mean[k] / expected).as("hour " + k).isBetween(0.85, 1.15);
        }
        assertThat(new TimeGrid(HOUR).perDay()).isEqualTo(24);
    }
}
