package io.prescale.forecasting.fit;

/**
 * Ridge least squares by accumulated normal equations and a Cholesky solve; small dense problems
 * only (tens of features). {@code ridge} is added to every diagonal entry except {@code unpenalised}.
 */
public final class LeastSquares {
    private final int p;
    private final double[] xtx;
    private final double[] xty;
    private double yy;
    private int rows;

    public LeastSquares(int features) {
        p = features;
        xtx = new double[p * p];
        xty = new double[p];
    }

    public void add(double[] x, double y) {
        for (int i = 0; i < p; i++) {
            double xi = x[i];
            if (xi == 0) continue;
            xty[i] += xi * y;
            int row = i * p;
            for (int j = 0; j <= i; j++) xtx[row + j] += xi * x[j];
        }
        yy += y * y;
        rows++;
    }

    /**
     * Adds moments accumulated elsewhere: {@code xtx} is p × p row-major with the lower triangle
     * (j <= i) filled, {@code xty} is p long, {@code rows} rows with Σy² = {@code yy}.
     */
    public void addMoments(double[] xtx, double[] xty, double yy, int rows) {
        if (xtx.length != p * p || xty.length != p) throw new IllegalArgumentException("moments of " + p + " features expected");
        for (int i = 0; i < p; i++) {
            this.xty[i] += xty[i];
            for (int j = 0; j <= i; j++) this.xtx[i * p + j] += xtx[i * p + j];
        }
        this.yy += yy;
        this.rows += rows;
    }

    /**
     * The problem restricted to features {@code cols} (increasing): its moments are exactly what adding
     * the same rows with only those features would have accumulated.
     */
    public LeastSquares subset(int[] cols) {
        LeastSquares s = new LeastSquares(cols.length);
        for (int i = 0; i < cols.length; i++) {
            if (cols[i] < 0 || cols[i] >= p || (i > 0 && cols[i] <= cols[i - 1])) throw new IllegalArgumentException("subset columns must increase within 0.." + (p - 1));
            s.xty[i] = xty[cols[i]];
            for (int j = 0; j <= i; j++) s.xtx[i * cols.length + j] = xtx[cols[i] * p + cols[j]];
        }
        s.yy = yy;
        s.rows = rows;
        return s;
    }

    public int rows() {
        return rows;
    }

    /** Coefficients; {@code unpenalised} is the index of the intercept (or -1). */
    public double[] solve(double ridge, int unpenalised) {
        double[] a = new double[p * p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j <= i; j++) {
                a[i * p + j] = xtx[i * p + j];
                a[j * p + i] = xtx[i * p + j];
            }
        for (int i = 0; i < p; i++) a[i * p + i] += (i == unpenalised ? 1e-9 : ridge) + 1e-9 * Math.abs(a[i * p + i]);
        // Cholesky: a = L L^T
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                if (i == j) l[i * p + i] = Math.sqrt(Math.max(s, 1e-12));
                else l[i * p + j] = s / l[j * p + j];
            }
        }
        double[] z = new double[p];
        for (int i = 0; i < p; i++) {
            double s = xty[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * z[k];
            z[i] = s / l[i * p + i];
        }
        double[] b = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * b[k];
            b[i] = s / l[i * p + i];
        }
        return b;
    }

    /** Residual sum of squares of coefficients {@code b} (from the accumulated moments). */
    public double rss(double[] b) {
        double r = yy;
        for (int i = 0; i < p; i++) {
            r -= 2 * b[i] * xty[i];
            for (int j = 0; j < p; j++) {
                double v = i >= j ? xtx[i * p + j] : xtx[j * p + i];
                r += b[i] * b[j] * v;
            }
        }
        return Math.max(r, 0);
    }
}
