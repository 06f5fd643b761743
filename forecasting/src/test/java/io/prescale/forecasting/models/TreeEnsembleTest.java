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
    void rejectsMalformedTrees() {
        var bad = new io.prescale.forecasting.artifact.GbtArtifact.Tree(1, new int[]{0}, new double[]{0}, new int[]{0}, new int[]{0}, new double[]{0});
        assertThatThrownBy(() -> new TreeEnsemble(java.util.List.of(bad), 3)).hasMessageContaining("children must come after");
    }
}
