package io.prescale.forecasting.models;

import io.prescale.forecasting.Synthetic;
import io.prescale.forecasting.artifact.Artifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TreeEnsembleTest {
    @Test
    void sumsWeightedLeavesFollowingSparkSplitRule(@TempDir Path dir) {
        var a = Artifacts.readGbt(Synthetic.gbtFixture(dir));
        TreeEnsemble t = new TreeEnsemble(a.trees(), GbtFeatures.NAMES.size());
        double[] x = new double[GbtFeatures.NAMES.size()];
        x[0] = 1;    // lead 1 <= 1.5 -> left leaf 0.1; plus 0.5 * 0.4 = 0.3
        assertThat(t.predict(x)).isCloseTo(0.3, within(1e-12));
        x[0] = 1.5;  // equal to the threshold still goes left (x <= threshold)
        assertThat(t.predict(x)).isCloseTo(0.3, within(1e-12));
        x[0] = 2;    // right leaf 0.2 + 0.2 = 0.4
        assertThat(t.predict(x)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void batchedRowsGiveExactlyTheOneRowResults() {
        java.util.Random r = new java.util.Random(8);
        java.util.List<io.prescale.forecasting.artifact.GbtArtifact.Tree> trees = new java.util.ArrayList<>();
        for (int k = 0; k < 9; k++) {
            // uneven shapes: a full depth-3 tree, a chain that only ever goes right, a single leaf
            int[] feat, left, right;
            if (k % 3 == 0) { feat = new int[]{0, 1, 2, -1, -1, -1, -1}; left = new int[]{1, 3, 5, -1, -1, -1, -1}; right = new int[]{2, 4, 6, -1, -1, -1, -1}; }
            else if (k % 3 == 1) { feat = new int[]{1, -1, 2, -1, -1}; left = new int[]{1, -1, 3, -1, -1}; right = new int[]{2, -1, 4, -1, -1}; }
            else { feat = new int[]{-1}; left = new int[]{-1}; right = new int[]{-1}; }
            double[] thr = new double[feat.length], val = new double[feat.length];
            for (int i = 0; i < feat.length; i++) { thr[i] = r.nextGaussian(); val[i] = r.nextGaussian(); }
            trees.add(new io.prescale.forecasting.artifact.GbtArtifact.Tree(0.3 + k, feat, thr, left, right, val));
        }
        TreeEnsemble t = new TreeEnsemble(trees, 3);
        double[][] rows = new double[11][3];
        for (double[] x : rows) for (int j = 0; j < 3; j++) x[j] = r.nextGaussian();
        rows[5][1] = Double.NaN;   // NaN goes right, as Spark's "x <= threshold" is false
        for (int count = 0; count <= rows.length; count++) {
            double[] out = new double[rows.length];
            t.predict(rows, count, out);
            for (int j = 0; j < count; j++) assertThat(out[j]).as("row %d of %d", j, count).isEqualTo(t.predict(rows[j]));
        }
    }

    @Test
    void rejectsMalformedTrees() {
        var bad = new io.prescale.forecasting.artifact.GbtArtifact.Tree(1, new int[]{0}, new double[]{0}, new int[]{0}, new int[]{0}, new double[]{0});
        assertThatThrownBy(() -> new TreeEnsemble(java.util.List.of(bad), 3)).hasMessageContaining("children must come after");
    }
}
