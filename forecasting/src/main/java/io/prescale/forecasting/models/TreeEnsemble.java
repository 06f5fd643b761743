package io.prescale.forecasting.models;

import io.prescale.forecasting.artifact.GbtArtifact;

import java.util.List;

/** Evaluates an exported tree ensemble; flat arrays keep it allocation-free and fast. */
public final class TreeEnsemble {
    // every tree's nodes in one set of flat arrays, roots at root[i]; children[2 * node] is the left child
    // and children[2 * node + 1] the right one (absolute positions), so a step is an index, not a branch:
    // split outcomes are unpredictable and mispredicted branches dominated the walk
    private final double[] weight;
    private final int[] root, feature, children;
    private final double[] threshold, value;

    public TreeEnsemble(List<GbtArtifact.Tree> trees, int features) {
        int n = trees.size(), total = 0;
        for (GbtArtifact.Tree t : trees) total += t.feature().length;
        weight = new double[n];
        root = new int[n];
        feature = new int[total];
        children = new int[2 * total];
        threshold = new double[total];
        value = new double[total];
        int at = 0;
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
            root[i] = at;
            for (int k = 0; k < nodes; k++) {
                feature[at + k] = t.feature()[k];
                children[2 * (at + k)] = at + t.left()[k];
                children[2 * (at + k) + 1] = at + t.right()[k];
                threshold[at + k] = t.threshold()[k];
                value[at + k] = t.value()[k];
            }
            at += nodes;
        }
    }

    public int size() {
        return weight.length;
    }

    public double predict(double[] x) {
        double s = 0;
        for (int i = 0; i < weight.length; i++) {
            int node = root[i], f;
            while ((f = feature[node]) >= 0) node = children[2 * node + (x[f] <= threshold[node] ? 0 : 1)];  // NaN goes right
            s += weight[i] * value[node];
        }
        return s;
    }
}
