package io.prescale.simulator.workload;

import io.prescale.core.trace.ArrivalShape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Thinning a renewal process with gap mean μ and squared CV c² by keep = p: a kept gap is a sum of
 * N ~ Geometric(p) full-rate gaps, so its mean is μ / p and, with Var = E[N] σ² + Var[N] μ² = σ²/p + (1−p) μ²/p²,
 * its squared CV is p c² + (1 − p). Each case draws 200,000 gaps (the mean's relative standard error is under
 * 1 %; the squared CV's a few %) and checks both moments.
 */
class RenewalGapsTest {
    private static final int DRAWS = 200_000;

    /** {mean, squared CV} of DRAWS gaps. */
    private static double[] moments(RenewalGaps g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double sum = 0, sumSq = 0;
        for (int i = 0; i < DRAWS; i++) {
            double x = g.next(r);
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / DRAWS;
        return new double[]{mean, (sumSq / DRAWS - mean * mean) / (mean * mean)};
    }

    @Test
    void gammaGapsAtTheTraceRateKeepTheirFittedBurstiness() {
        // shape 1/9: c² = 1/k = 9; rate 10/s: mean 0.1 s
        double[] m = moments(new RenewalGaps(new ArrivalShape(ArrivalShape.Kind.GAMMA, 1.0 / 9, 1), 10, 1), 1);
        assertThat(m[0]).isCloseTo(0.1, within(0.003));
        assertThat(m[1]).isCloseTo(9.0, within(0.6));
    }

    @Test
    void thinnedGammaGapsAreLongerAndLessBurstyAsThinningPredicts() {
        // keep 0.1: mean 0.1 / 0.1 = 1 s; c² = 0.1 × 9 + 0.9 = 1.8 (rescaling the shape instead would keep 9)
        double[] m = moments(new RenewalGaps(new ArrivalShape(ArrivalShape.Kind.GAMMA, 1.0 / 9, 1), 10, 0.1), 2);
        assertThat(m[0]).isCloseTo(1.0, within(0.02));
        assertThat(m[1]).isCloseTo(1.8, within(0.1));
    }

    @Test
    void thinnedWeibullGapsMatchThinningInBothTheSummedAndTheMomentMatchedRange() {
        // Weibull shape k = 0.5, scale set for 4/s: c² = Γ(1 + 2/k) / Γ(1 + 1/k)² − 1 = Γ(5) / Γ(3)² − 1 = 24 / 4 − 1 = 5
        ArrivalShape weibull = new ArrivalShape(ArrivalShape.Kind.WEIBULL, 0.5, 1);
        double[] full = moments(new RenewalGaps(weibull, 4, 1), 3);
        assertThat(full[0]).isCloseTo(0.25, within(0.008));
        assertThat(full[1]).isCloseTo(5.0, within(0.5));
        // keep 0.25 (mean N = 4, summed): mean 1 s, c² = 0.25 × 5 + 0.75 = 2.0
        double[] summed = moments(new RenewalGaps(weibull, 4, 0.25), 4);
        assertThat(summed[0]).isCloseTo(1.0, within(0.02));
        assertThat(summed[1]).isCloseTo(2.0, within(0.12));
        // keep 0.02 (mean N = 50, mostly past the summing limit): mean 12.5 s, c² = 0.02 × 5 + 0.98 = 1.08
        double[] matched = moments(new RenewalGaps(weibull, 4, 0.02), 5);
        assertThat(matched[0]).isCloseTo(12.5, within(0.2));
        assertThat(matched[1]).isCloseTo(1.08, within(0.06));
    }

    @Test
    void poissonGapsAreExponentialAtTheThinnedRate() {
        // thinning Poisson(10/s) by 0.2 is Poisson(2/s): mean 0.5 s, c² = 1
        double[] m = moments(new RenewalGaps(ArrivalShape.POISSON, 10, 0.2), 6);
        assertThat(m[0]).isCloseTo(0.5, within(0.01));
        assertThat(m[1]).isCloseTo(1.0, within(0.05));
    }
}
