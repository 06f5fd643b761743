package io.prescale.forecasting.spark;

import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.ProphetArtifact;
import io.prescale.forecasting.backtest.SeriesData;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.models.ProphetFeatures;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the Prophet-style regression of each series with Spark MLlib's elastic-net
 * {@link LinearRegression} on {@link ProphetFeatures} (log1p counts over the last {@code windowDays}
 * before {@code until}) and exports the coefficients as a {@link ProphetArtifact}.
 */
public final class ProphetTrainer {

    public record Settings(int windowDays, int changepoints, int dailyOrder, int weeklyOrder, double regParam, double elasticNet) {
        public static final Settings DEFAULTS = new Settings(28, 8, 8, 3, 1e-3, 0.5);
    }

    private static final StructType SCHEMA = new StructType(new StructField[]{
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});

    private ProphetTrainer() {}

    public static ProphetArtifact train(SparkSession spark, List<SeriesData> series, Map<String, Integer> until,
                                        EventCalendar cal, Settings st) {
        Map<String, ProphetArtifact.Series> out = new LinkedHashMap<>();
        for (SeriesData s : series) {
            ProphetArtifact.Series fitted = fit(spark, s, until.getOrDefault(s.name(), s.length()), cal, st);
            if (fitted != null) out.put(s.name(), fitted);
        }
        Instant now = Instant.now();
        return new ProphetArtifact(ProphetArtifact.SCHEMA, ArtifactVersion.of(now), now, series.get(0).interval(), out);
    }

    static ProphetArtifact.Series fit(SparkSession spark, SeriesData s, int until, EventCalendar cal, Settings st) {
        TimeGrid grid = new TimeGrid(s.interval());
        int from = Math.max(0, until - st.windowDays() * grid.perDay());
        double days = (until - from) / (double) grid.perDay();
        if (days < 2) return null;
        long origin = grid.index(s.start()) + from;
        ProphetFeatures f = new ProphetFeatures(grid, origin, ProphetFeatures.evenChangepoints(st.changepoints(), days),
                st.dailyOrder(), days >= 7 ? st.weeklyOrder() : 0, cal);
        double[] x = new double[f.size()];
        List<Row> rows = new ArrayList<>();
        for (int t = from; t < until; t++) {
            double y = s.values()[t];
            if (Double.isNaN(y)) continue;
            f.fill(origin + (t - from), x);
            rows.add(RowFactory.create(Vectors.dense(Arrays.copyOfRange(x, 1, x.length)), Math.log1p(Math.max(0, y))));
        }
        if (rows.size() < 2 * f.size()) return null;
        LinearRegressionModel m = new LinearRegression().setRegParam(st.regParam()).setElasticNetParam(st.elasticNet())
                .setFitIntercept(true).setStandardization(true).setMaxIter(200)
                .fit(spark.createDataFrame(rows, SCHEMA));
        double[] coef = new double[f.size()];
        coef[0] = m.intercept();
        double[] c = m.coefficients().toArray();
        System.arraycopy(c, 0, coef, 1, c.length);
        return new ProphetArtifact.Series(grid.start(origin), f.changepointDays(), f.dailyOrder(), f.weeklyOrder(), f.names(), coef, s.time(until));
    }
}
