package io.prescale.forecasting.spark;

import io.prescale.forecasting.History;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.backtest.SeriesData;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.models.GbtFeatures;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the global gradient-boosted tree model on every series with Spark MLlib and exports it as a
 * {@link GbtArtifact}. Rows are (origin, lead) pairs built with the runtime's own {@link GbtFeatures},
 * so training and serving cannot disagree on a feature. Only data up to each series' {@code until}
 * index is used (the backtest passes the start of its scoring window).
 */
public final class GbtTrainer {

    public record Settings(int maxSteps, int trees, int depth, double stepSize, int originStride, long seed) {
        public static Settings defaults(int maxSteps) {
            return new Settings(maxSteps, 25, 5, 0.15, 2, 7);
        }
    }

    public record Result(GbtArtifact artifact, GBTRegressionModel model, Dataset<Row> rows) {}

    private static final StructType SCHEMA = new StructType(new StructField[]{
            new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty())});

    private GbtTrainer() {}

    /** Feature rows of one series: every {@code stride}-th origin with a day of history, leads 1..maxSteps, targets before {@code until}. */
    public static List<Row> rows(SeriesData s, int until, EventCalendar cal, Settings st) {
        TimeGrid grid = new TimeGrid(s.interval());
        GbtFeatures f = new GbtFeatures(grid, cal);
        History z = new History(f.historyNeeded());
        long base = grid.index(s.start());
        double[] v = s.values();
        List<Row> out = new ArrayList<>();
        double[] x = new double[f.size()];
        for (int t = 0; t < until; t++) {
            z.put(base + t, Double.isNaN(v[t]) ? Double.NaN : Math.log1p(Math.max(0, v[t])));
            if (t < grid.perDay() || t % st.originStride() != 0) continue;
            double level = f.level(z, base + t);
            if (Double.isNaN(level)) continue;
            for (int k = 1; k <= st.maxSteps() && t + k < until; k++) {
                double y = v[t + k];
                if (Double.isNaN(y)) continue;
                f.fill(z, base + t, k, level, x);
                out.add(RowFactory.create(Vectors.dense(x.clone()), Math.log1p(Math.max(0, y)) - level));
            }
        }
        return out;
    }

    /**
     * Per series, the end of the data training saw: the end of its {@code until} intervals. A series that starts at or
     * after the cut (none of its intervals seen) is left out: its start recorded as "trained up to" made simulate refuse
     * an artifact of {@code forecast train --to 3d} for {@code --from 3d}, naming a time it never trained on (a model
     * whose data begins on day 4).
     */
    static Map<String, Instant> trainedUntil(List<SeriesData> series, Map<String, Integer> until) {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (SeriesData s : series) {
            int u = until.getOrDefault(s.name(), s.length());
            if (u > 0) out.put(s.name(), s.time(u));
        }
        return out;
    }

    public static Result train(SparkSession spark, List<SeriesData> series, Map<String, Integer> until, EventCalendar cal,
                               Settings st, Map<String, Object> training) {
        if (series.isEmpty()) throw new IllegalArgumentException("no series to train on");
        Duration interval = series.get(0).interval();
        List<Row> all = new ArrayList<>();
        for (SeriesData s : series) all.addAll(rows(s, until.getOrDefault(s.name(), s.length()), cal, st));
        Map<String, Instant> trainedUntil = trainedUntil(series, until);
        if (all.size() < 100) throw new IllegalArgumentException("only " + all.size() + " training rows: the series are too short for gbt (need > 1 day each)");
        Dataset<Row> df = spark.createDataFrame(all, SCHEMA).repartition(spark.sparkContext().defaultParallelism()).cache();
        GBTRegressor gbt = new GBTRegressor().setMaxIter(st.trees()).setMaxDepth(st.depth()).setStepSize(st.stepSize())
                .setSeed(st.seed()).setLossType("squared").setMaxBins(32).setCheckpointInterval(-1).setCacheNodeIds(false);
        GBTRegressionModel model = gbt.fit(df);
        List<GbtArtifact.Tree> trees = new ArrayList<>();
        DecisionTreeRegressionModel[] ts = model.trees();
        double[] w = model.treeWeights();
        for (int i = 0; i < ts.length; i++) trees.add(flatten(ts[i].rootNode(), w[i]));
        Instant now = Instant.now();
        Map<String, Object> meta = new LinkedHashMap<>(training);
        meta.put("rows", all.size());
        meta.put("trees", st.trees());
        meta.put("maxDepth", st.depth());
        meta.put("stepSize", st.stepSize());
        GbtArtifact a = new GbtArtifact(GbtArtifact.SCHEMA, ArtifactVersion.of(now), now, interval, st.maxSteps(),
                GbtFeatures.VERSION, GbtFeatures.NAMES, trees, trainedUntil, meta);
        return new Result(a, model, df);
    }

    /** Pre-order flattening: every child comes after its parent, as the runtime checks. */
    static GbtArtifact.Tree flatten(Node root, double weight) {
        List<Node> order = new ArrayList<>();
        collect(root, order);
        int n = order.size();
        int[] feature = new int[n], left = new int[n], right = new int[n];
        double[] threshold = new double[n], value = new double[n];
        Map<Node, Integer> id = new java.util.IdentityHashMap<>();
        for (int i = 0; i < n; i++) id.put(order.get(i), i);
        for (int i = 0; i < n; i++) {
            Node node = order.get(i);
            value[i] = node.prediction();
            if (node instanceof InternalNode in) {
                if (!(in.split() instanceof ContinuousSplit cs)) throw new IllegalStateException("categorical split in a gbt tree: features must be continuous");
                feature[i] = cs.featureIndex();
                threshold[i] = cs.threshold();
                left[i] = id.get(in.leftChild());
                right[i] = id.get(in.rightChild());
            } else if (node instanceof LeafNode) {
                feature[i] = -1;
                left[i] = -1;
                right[i] = -1;
            }
        }
        return new GbtArtifact.Tree(weight, feature, threshold, left, right, value);
    }

    private static void collect(Node node, List<Node> out) {
        out.add(node);
        if (node instanceof InternalNode in) {
            collect(in.leftChild(), out);
            collect(in.rightChild(), out);
        }
    }
}
