package io.prescale.simulator.workload;

import io.prescale.core.trace.ArrivalShape;

import java.util.SplittableRandom;

/**
 * Inter-arrival gaps of one window of a per-interval trace: a renewal process with the window's fitted shape
 * at the trace's rate, of which each arrival is kept with probability {@code keep} (the rate scale below 1).
 * Thinning a renewal process keeps its clumps but not its small-scale jitter: a kept gap is the sum of a
 * Geometric(keep) number of full-rate gaps, whose squared CV is keep × c² + (1 − keep). Rescaling the shape to
 * the thinned rate instead would replay a 2 % slice as bursty, relative to its capacity, as the whole stream,
 * and the request traces' thinning (each recorded request kept with that probability) would not agree with it.
 */
final class RenewalGaps {
    /** Above this many full-rate Weibull gaps per kept one, their sum is drawn as a moment-matched Gamma. */
    private static final int WEIBULL_SUM_LIMIT = 16;

    private final ArrivalShape.Kind kind;
    private final double shape;  // Gamma or Weibull shape
    private final double scale;  // scale giving the full-rate mean gap (the thinned one for Poisson)
    private final double keep;
    private final double logSkip; // ln(1 - keep): draws the Geometric count of full-rate gaps
    private final double weibullMean;
    private final double weibullVariance;

    /**
     * @param rate full-rate arrivals per second (> 0)
     * @param keep share of arrivals kept, in (0, 1]
     */
    RenewalGaps(ArrivalShape s, double rate, double keep) {
        if (!(rate > 0) || !(keep > 0 && keep <= 1)) throw new IllegalArgumentException("rate " + rate + ", keep " + keep);
        this.kind = s.kind();
        this.shape = s.p1();
        // a thinned Poisson process is Poisson at the thinned rate: no count to draw
        this.keep = kind == ArrivalShape.Kind.POISSON ? 1 : keep;
        this.logSkip = Math.log1p(-this.keep);
        this.scale = switch (kind) {
            case POISSON -> 1.0 / (rate * keep);
            case GAMMA -> 1.0 / (rate * shape);
            case WEIBULL -> 1.0 / (rate * Math.exp(SpecialFunctions.logGamma(1 + 1 / shape)));
        };
        if (kind == ArrivalShape.Kind.WEIBULL) {
            double g1 = Math.exp(SpecialFunctions.logGamma(1 + 1 / shape));
            double g2 = Math.exp(SpecialFunctions.logGamma(1 + 2 / shape));
            this.weibullMean = scale * g1;
            this.weibullVariance = scale * scale * (g2 - g1 * g1);
        } else {
            this.weibullMean = this.weibullVariance = 0;
        }
    }

    /** The next gap, in seconds. */
    double next(SplittableRandom r) {
        long n = keep == 1 ? 1 : skipped(r);
        return switch (kind) {
            case POISSON -> -Math.log(1 - r.nextDouble()) * scale;
            // a sum of n Gamma(k, θ) gaps is Gamma(n k, θ): exact at any rate scale
            case GAMMA -> SpecialFunctions.gamma(r, n * shape) * scale;
            case WEIBULL -> n <= WEIBULL_SUM_LIMIT ? weibullSum(r, n)
                    : SpecialFunctions.gamma(r, n * weibullMean * weibullMean / weibullVariance) * weibullVariance / weibullMean;
        };
    }

    /** Full-rate gaps up to and including the next kept arrival: Geometric(keep) on 1, 2, ... */
    private long skipped(SplittableRandom r) {
        double u = 1 - r.nextDouble(); // in (0, 1]
        return 1 + (long) Math.floor(Math.log(u) / logSkip);
    }

    private double weibullSum(SplittableRandom r, long n) {
        double sum = 0;
        for (long i = 0; i < n; i++) sum += scale * Math.pow(-Math.log(1 - r.nextDouble()), 1 / shape);
        return sum;
    }
}
