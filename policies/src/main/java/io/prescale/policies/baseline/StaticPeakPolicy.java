package io.prescale.policies.baseline;

import io.prescale.core.policy.DemandOracle;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.sizing.ReplicaSizer;

import java.time.Duration;

/**
 * Static provisioning for the peak: every model gets, for the whole run, the replicas its busiest
 * {@code peakWindow} needs (sized by {@link ReplicaSizer}), times a safety factor. It stands for an
 * operator who sizes from last period's known peak, so it reads the peak from the demand oracle, and (like the
 * oracle) sizes with the latency profile calibrated to every request of a request trace.
 */
public final class StaticPeakPolicy extends PerModelPolicy<int[]> {

    public record Params(Duration peakWindow, double safetyFactor, double maxUtilization, Duration tick) {
        public static final Params DEFAULTS = new Params(Duration.ofMinutes(1), 1.0, 0.8, Duration.ofSeconds(60));

        public Params {
            if ((peakWindow.isNegative() || peakWindow.isZero())) throw new IllegalArgumentException("peakWindow must be > 0");
            if (!(safetyFactor >= 1)) throw new IllegalArgumentException("safetyFactor must be >= 1");
            if ((tick.isNegative() || tick.isZero())) throw new IllegalArgumentException("tick must be > 0");
            if (!(maxUtilization > 0 && maxUtilization < 1)) throw new IllegalArgumentException("maxUtilization must be in (0, 1)");
        }
    }

    private final Params p;
    private final DemandOracle oracle;

    public StaticPeakPolicy(Params p, PolicyContext ctx) {
        super("static.peak", p.tick(), () -> new int[]{-1});
        this.p = p;
        this.oracle = ctx.oracle().orElseThrow(() -> new IllegalArgumentException(
                "static.peak sizes for the known peak and needs the trace's demand (simulation only)"));
    }

    @Override
    protected int target(ModelObservation m, int[] fixed, Observation obs) {
        if (fixed[0] < 0) {
            double peak = oracle.peakRate(m.model(), seconds(p.peakWindow()));
            int n = ReplicaSizer.replicas(peak, m.spec(), p.maxUtilization());
            fixed[0] = Math.max(1, (int) Math.ceil(n * p.safetyFactor()));
        }
        return fixed[0];
    }
}
