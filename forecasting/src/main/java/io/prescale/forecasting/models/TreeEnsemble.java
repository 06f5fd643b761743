package io.prescale.forecasting.models;

import io.prescale.forecasting.artifact.GbtArtifact;

import java.util.List;

/** Evaluates an exported tree ensemble; flat arrays keep it allocation-free and fast. */
public final class TreeEnsemble {
    private final double[] weight;
    private final int[][] feature, left, right;
    private final double[][] threshold, value;

    public TreeEnsemble(List<GbtArtifact.Tree> trees, int features) {
        int n = trees.size();
        weight = new double[n];
        feature = new int[n][];
        left = new int[n][];
        right = new int[n][];
        threshold = new double[n][];
        value = new double[n][];
        for (int i = 0; i < n; i++) {
            GbtArtifact.Tree t = trees.get(i);
            int nodes = t.feature().length;
            if (t.threshold().length != nodes || t.left().length != nodes || t.right().length != nodes || t.value().length != nodes || nodes == 0)
                throw new IllegalArgumentException("tree " + i + ": node arrays differ in length or are empty");
            for (int k = 0; k < nodes; k++) {
                if (t.feature()[k] >= features) throw new IllegalArgumentException("tree " + i + " node " + k + ": feature " + t.feature()[k] + " out of range");
                if (t.feature()[k] >= 0 && (t.left()[k] <= k || t.right()[k] <= k || t.left()[k] >= nodes || t.right()[k] >= nodes))
                    throw new IllegalArgumentException("tree " + i + " node " + k + ": children must come after their parent");
            }
            weight[i] = t.weight();
            feature[i] = t.feature();
            left[i] = t.left();
            right[i] = t.right();
            threshold[i] = t.threshold();
            value[i] = t.value();
        }
    }

    public int size() {
        return weight.length;
    }

    public double predict(double[] x) {
        double s = 0;
        for (int i = 0; i < weight.length; i++) {
            int[] f = feature[i];
            int node = 0;
            while (f[node] >= 0) node = x[f[node]] <= threshold[i][node] ? left[i][node] : right[i][node];
            s += weight[i] * value[i][node];
        }
        return s;
    }
}
