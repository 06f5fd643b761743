package io.prescale.simulator.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The cost-vs-SLO Pareto frontier: points no other point beats on both SLO attainment (higher) and cost (lower). */
public final class Pareto {
    private Pareto() {}

    /** A scenario's position: SLO attainment (higher is better) and cost (lower is better). */
    public record Point(double slo, double cost) {}

    /** Indices of the non-dominated points, ordered by SLO attainment. */
    public static List<Integer> frontier(List<Point> points) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (Double.isNaN(p.slo()) || Double.isNaN(p.cost())) continue;
            boolean dominated = false;
            for (int j = 0; j < points.size() && !dominated; j++) {
                Point q = points.get(j);
                if (j == i) continue;
                boolean noWorse = q.slo() >= p.slo() && q.cost() <= p.cost();
                boolean better = q.slo() > p.slo() || q.cost() < p.cost();
                // of two identical points, the first one stands for both
                dominated = noWorse && (better || j < i);
            }
            if (!dominated) out.add(i);
        }
        out.sort(Comparator.comparingDouble(i -> points.get(i).slo()));
        return out;
    }
}
