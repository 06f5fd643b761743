package io.prescale.forecasting.fit;

import java.util.function.ToDoubleFunction;

/** Derivative-free minimiser (Nelder-Mead simplex) for the few smoothing parameters of a model. */
public final class NelderMead {
    private NelderMead() {}

    /** Minimises {@code f} from {@code start} with initial step {@code step}, at most {@code maxEvals} evaluations. */
    public static double[] minimize(ToDoubleFunction<double[]> f, double[] start, double step, int maxEvals) {
        int n = start.length;
        double[][] s = new double[n + 1][];
        double[] fv = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            s[i] = start.clone();
            if (i > 0) s[i][i - 1] += step;
            fv[i] = f.applyAsDouble(s[i]);
        }
        int evals = n + 1;
        while (evals < maxEvals) {
            // order: best first
            for (int i = 1; i <= n; i++)
                for (int j = i; j > 0 && fv[j] < fv[j - 1]; j--) {
                    double t = fv[j]; fv[j] = fv[j - 1]; fv[j - 1] = t;
                    double[] u = s[j]; s[j] = s[j - 1]; s[j - 1] = u;
                }
            if (Math.abs(fv[n] - fv[0]) <= 1e-9 * (Math.abs(fv[0]) + 1e-12)) break;
            double[] c = new double[n];
            for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) c[k] += s[i][k] / n;
            double[] r = lerp(c, s[n], -1);
            double fr = f.applyAsDouble(r); evals++;
            if (fr < fv[0]) {
                double[] e = lerp(c, s[n], -2);
                double fe = f.applyAsDouble(e); evals++;
                if (fe < fr) { s[n] = e; fv[n] = fe; } else { s[n] = r; fv[n] = fr; }
            } else if (fr < fv[n - 1]) {
                s[n] = r; fv[n] = fr;
            } else {
                double[] k = lerp(c, s[n], fr < fv[n] ? -0.5 : 0.5);
                double fk = f.applyAsDouble(k); evals++;
                if (fk < Math.min(fr, fv[n])) {
                    s[n] = k; fv[n] = fk;
                } else {
                    for (int i = 1; i <= n; i++) {
                        s[i] = lerp(s[0], s[i], 0.5);
                        fv[i] = f.applyAsDouble(s[i]); evals++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) if (fv[i] < fv[best]) best = i;
        return s[best];
    }

    /** c + t (p - c). */
    private static double[] lerp(double[] c, double[] p, double t) {
        double[] r = new double[c.length];
        for (int i = 0; i < c.length; i++) r[i] = c[i] + t * (p[i] - c[i]);
        return r;
    }
}
