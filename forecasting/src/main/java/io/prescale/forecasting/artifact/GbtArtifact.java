package io.prescale.forecasting.artifact;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A gradient-boosted tree ensemble trained by Spark MLlib on {@code GbtFeatures}, exported so the
 * runtime predicts without Spark: prediction = sum over trees of weight x leaf value. Each tree is
 * flat arrays; node i is a leaf when {@code feature[i] < 0}, else it goes to {@code left[i]} when
 * x[feature] <= threshold (Spark's rule for continuous splits) and to {@code right[i]} otherwise.
 */
public record GbtArtifact(String schema, String version, Instant createdAt, Duration interval, int maxSteps,
                          int featureVersion, List<String> features, List<Tree> trees,
                          Map<String, Instant> trainedUntil, Map<String, Object> training) {
    public static final String SCHEMA = "prescale.gbt/v1";

    public record Tree(double weight, int[] feature, double[] threshold, int[] left, int[] right, double[] value) {}
}
