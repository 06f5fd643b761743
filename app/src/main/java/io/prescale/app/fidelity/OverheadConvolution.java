package io.prescale.app.fidelity;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated latency plus the HTTP path's own latency. {@link #of}: as independent random terms, each sample a draw from
 * the simulator's latency CDF (interpolated between its quantile points) plus a draw of (calibration latency −
 * service time) from the live calibration. Monte Carlo with a fixed seed, so a run is reproducible.
 */
final class OverheadConvolution {
    private OverheadConvolution() {}

    /** The quantiles every latency CDF of a fidelity report is drawn at. */
    static final double[] CDF_QUANTILES = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999};

    /** {p50, p95, p99} in ms and CDF points {ms, q}, of sim ⊕ overhead. */
    record Result(double p50Ms, double p95Ms, double p99Ms, List<double[]> cdf) {}

    static Result of(double[][] simCdf, Histogram calibrationMicros, double serviceMs, int samples, long seed) {
        double[] over = new double[1000];
        for (int i = 0; i < over.length; i++)
            over[i] = Math.max(0, calibrationMicros.getValueAtPercentile((i + 0.5) / over.length * 100) / 1000.0 - serviceMs);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[samples];
        for (int i = 0; i < samples; i++) x[i] = inverse(simCdf, rnd.nextDouble()) + over[rnd.nextInt(over.length)];
        Arrays.sort(x);
        List<double[]> cdf = new ArrayList<>();
        for (double q : CDF_QUANTILES)
            cdf.add(new double[]{q(x, q), q});
        return new Result(q(x, 0.5), q(x, 0.95), q(x, 0.99), cdf);
    }

    /**
     * Simulated latency plus the HTTP overhead with the two moving together: each quantile of the sum is the
     * simulator's quantile plus the overhead's (comonotone). On a shared host the same bursts that queue requests
     * in the runner also slow its HTTP threads, so a request's two terms are high or low together; independent
     * draws would put the overhead's tail under the simulator's median.
     */
    static Result aligned(double[][] simCdf, Histogram overheadMicros) {
        java.util.function.DoubleUnaryOperator at = q -> inverse(simCdf, q) + overheadMicros.getValueAtPercentile(q * 100) / 1000.0;
        List<double[]> cdf = new ArrayList<>();
        for (double q : CDF_QUANTILES)
            cdf.add(new double[]{at.applyAsDouble(q), q});
        return new Result(at.applyAsDouble(0.5), at.applyAsDouble(0.95), at.applyAsDouble(0.99), cdf);
    }

    /** Inverse of a CDF given as ascending {ms, q} points; flat beyond the ends. */
    static double inverse(double[][] cdf, double u) {
        if (cdf.length == 0) return 0;
        if (u <= cdf[0][1]) return cdf[0][0];
        for (int i = 1; i < cdf.length; i++) {
            if (u <= cdf[i][1]) {
                double f = (u - cdf[i - 1][1]) / (cdf[i][1] - cdf[i - 1][1]);
                return cdf[i - 1][0] + f * (cdf[i][0] - cdf[i - 1][0]);
            }
        }
        return cdf[cdf.length - 1][0];
    }

    private static double q(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
