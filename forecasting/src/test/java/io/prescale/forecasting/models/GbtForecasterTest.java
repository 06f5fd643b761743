package io.prescale.forecasting.models;

import io.prescale.forecasting.History;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.events.EventCalendar;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime gbt path (origin features once per forecast, flat trees) against the plain per-lead evaluation. */
class GbtForecasterTest {

    @Test
    void predictEqualsPerLeadFeatureRowsThroughEveryTree() {
        TimeGrid grid = new TimeGrid(Duration.ofMinutes(10));
        GbtFeatures features = new GbtFeatures(grid, EventCalendar.EMPTY);
        List<GbtArtifact.Tree> trees = randomTrees(new Random(5));
        GbtForecaster.Model model = new GbtForecaster.Model(features, new TreeEnsemble(trees, features.size()), 4);
        History z = new History(features.historyNeeded());
        Random r = new Random(9);
        double[] x = new double[features.size()], got = new double[6];
        int checked = 0;
        for (long t = 0; t < 9 * grid.perDay(); t++) {
            double v = t % 97 < 3 ? Double.NaN : 300 * (1 + 0.5 * Math.sin(2 * Math.PI * t / grid.perDay())) * (1 + 0.1 * r.nextGaussian());
            model.update(t, v);
            z.put(t, Double.isNaN(v) ? Double.NaN : Math.log1p(v));
            if (t % 7 != 0) continue;
            model.predict(t + 1, got);
            double level = features.level(z, t);
            if (Double.isNaN(level)) {   // nothing seen within a day: the model forecasts zero
                assertThat(got).containsOnly(0.0);
                continue;
            }
            for (int i = 0; i < got.length; i++) {
                features.fill(z, t, i + 1, level, x);
                x[0] = Math.min(i + 1, 4);   // leads past the trained ones reuse the last trained lead, at their own target
                double want = Math.max(0, Math.expm1(level + nestedTrees(trees, x)));
                assertThat(got[i]).as("t=%d lead %d", t, i + 1).isEqualTo(want);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void leadsPastTheTrainedOnesKeepTheirOwnTimeOfDay() {
        // one tree on hour_cos (feature 10) at 0: targets between 06:00 and 18:00 (cos < 0) get +1 on the log scale
        TimeGrid grid = new TimeGrid(Duration.ofMinutes(10));
        GbtFeatures features = new GbtFeatures(grid, EventCalendar.EMPTY);
        GbtArtifact.Tree byHour = new GbtArtifact.Tree(1.0, new int[]{10, -1, -1}, new double[]{0, 0, 0}, new int[]{1, -1, -1},
                new int[]{2, -1, -1}, new double[]{0, 1, 0});
        GbtForecaster.Model model = new GbtForecaster.Model(features, new TreeEnsemble(List.of(byHour), features.size()), 1);
        long origin = 2L * grid.perDay() + 30;   // day 2, 05:00 UTC: trained for one lead only
        for (long t = 0; t <= origin; t++) model.update(t, 100);
        double[] got = new double[12];           // targets 05:10 .. 07:00
        model.predict(origin + 1, got);
        double level = Math.log1p(100);
        // 05:10 .. 06:00: cos >= 0, the level itself; 06:10 .. 07:00: cos < 0, e times the level (in log1p)
        for (int i = 0; i < 6; i++) assertThat(got[i]).as("lead %d", i + 1).isCloseTo(100, org.assertj.core.api.Assertions.within(1e-9));
        for (int i = 6; i < 12; i++) assertThat(got[i]).as("lead %d", i + 1).isCloseTo(Math.expm1(level + 1), org.assertj.core.api.Assertions.within(1e-9));
    }

    /** The artifact's trees walked node by node, as stored. */
    private static double nestedTrees(List<GbtArtifact.Tree> trees, double[] x) {
        double s = 0;
        for (GbtArtifact.Tree t : trees) {
            int node = 0;
            while (t.feature()[node] >= 0) node = x[t.feature()[node]] <= t.threshold()[node] ? t.left()[node] : t.right()[node];
            s += t.weight() * t.value()[node];
        }
        return s;
    }

    /** Full trees of depth 4 over every feature, uneven sizes so flat offsets matter. */
    private static List<GbtArtifact.Tree> randomTrees(Random r) {
        List<GbtArtifact.Tree> out = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            int nodes = k % 2 == 0 ? 31 : 15;
            int[] feat = new int[nodes], left = new int[nodes], right = new int[nodes];
            double[] thr = new double[nodes], val = new double[nodes];
            for (int i = 0; i < nodes; i++) {
                boolean leaf = 2 * i + 2 >= nodes;
                feat[i] = leaf ? -1 : r.nextInt(GbtFeatures.NAMES.size());
                left[i] = leaf ? -1 : 2 * i + 1;
                right[i] = leaf ? -1 : 2 * i + 2;
                thr[i] = feat[i] == 0 ? 1 + r.nextInt(4) : feat[i] == 11 ? r.nextInt(7) : r.nextGaussian() * 0.3;
                val[i] = r.nextGaussian() * 0.05;
            }
            out.add(new GbtArtifact.Tree(k == 0 ? 1 : 0.1, feat, thr, left, right, val));
        }
        return out;
    }
}
