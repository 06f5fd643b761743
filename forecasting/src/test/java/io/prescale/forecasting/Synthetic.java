package io.prescale.forecasting;

import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.models.GbtFeatures;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Synthetic series and fixtures for the tests. */
public final class Synthetic {
    private Synthetic() {}

    public static final Duration TEN_MIN = Duration.ofMinutes(10);
    public static final int PER_DAY = 144;

    /** 1000 + 500 sin(2 pi t / day): a pure daily cycle, no noise. */
    public static double[] dailySine(int days) {
        double[] v = new double[days * PER_DAY];
        for (int i = 0; i < v.length; i++) v[i] = 1000 + 500 * Math.sin(2 * Math.PI * i / PER_DAY);
        return v;
    }

    /** A daily sine with deterministic pseudo-noise of relative size {@code noise}. */
    public static double[] noisySine(int days, double noise, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = dailySine(days);
        for (int i = 0; i < v.length; i++) v[i] = Math.max(0, v[i] * (1 + noise * r.nextGaussian()));
        return v;
    }

    public static Instant at(int i) {
        return Instant.EPOCH.plus(TEN_MIN.multipliedBy(i));
    }

    /**
     * A hand-made gbt artifact with two trees: tree 1 (weight 1) splits feature 0 (lead) at 1.5:
     * lead 1 -> 0.1, else -> 0.2; tree 2 (weight 0.5) is a single leaf 0.4.
     */
    public static Path gbtFixture(Path dir) {
        GbtArtifact.Tree t1 = new GbtArtifact.Tree(1.0, new int[]{0, -1, -1}, new double[]{1.5, 0, 0}, new int[]{1, -1, -1},
                new int[]{2, -1, -1}, new double[]{0.15, 0.1, 0.2});
        GbtArtifact.Tree t2 = new GbtArtifact.Tree(0.5, new int[]{-1}, new double[]{0}, new int[]{-1}, new int[]{-1}, new double[]{0.4});
        GbtArtifact a = new GbtArtifact(GbtArtifact.SCHEMA, "test", Instant.EPOCH, TEN_MIN, 6, GbtFeatures.VERSION, GbtFeatures.NAMES,
                List.of(t1, t2), Map.of(), Map.of());
        Path f = dir.resolve("gbt-test.json");
        Artifacts.write(f, a);
        return f;
    }
}
