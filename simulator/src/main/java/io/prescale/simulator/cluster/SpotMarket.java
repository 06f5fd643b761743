package io.prescale.simulator.cluster;

import java.time.Duration;

/**
 * How a spot pool's nodes are taken back: each node, independently, at a constant hazard (exponential time to
 * interruption), with a notice before it goes.
 *
 * <p>The default follows AWS: the Spot Instance Advisor reports an instance type's "frequency of interruption", the
 * share of its spot capacity reclaimed over the trailing month, in bands of &lt; 5 %, 5-10 %, 10-15 %, 15-20 % and
 * &gt; 20 %; {@link #AWS_TOP_BAND} takes the highest band at its edge, 20 % a month (for a type in that band, a lower
 * bound). A node then lives to interruption with probability 0.8 over 30 days: hazard −ln(0.8) / 720 h = 3.1 × 10⁻⁴
 * per node-hour. EC2 gives a two-minute interruption notice ("Spot Instance interruption notices", EC2 User Guide).
 *
 * @param interruptionsPerNodeHour the hazard per node-hour, ≥ 0
 * @param notice                   from the notice to the node going away
 */
public record SpotMarket(double interruptionsPerNodeHour, Duration notice) {
    /** The hours of the Advisor's trailing month. */
    static final double MONTH_HOURS = 30 * 24;

    public static final SpotMarket AWS_TOP_BAND = ofMonthlyFrequency(0.20, Duration.ofMinutes(2));

    public SpotMarket {
        if (!(interruptionsPerNodeHour >= 0) || Double.isInfinite(interruptionsPerNodeHour))
            throw new IllegalArgumentException("spot interruptions per node-hour must be >= 0 and finite");
        if (notice == null || notice.isNegative()) throw new IllegalArgumentException("spot notice must be >= 0");
    }

    /** A market where {@code fraction} of the nodes are reclaimed within a 30-day month (the Advisor's figure). */
    public static SpotMarket ofMonthlyFrequency(double fraction, Duration notice) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("monthly interruption frequency must be in [0, 1)");
        return new SpotMarket(-Math.log1p(-fraction) / MONTH_HOURS, notice);
    }

    /** The monthly frequency this hazard gives (inverse of {@link #ofMonthlyFrequency}). */
    public double monthlyFrequency() {
        return -Math.expm1(-interruptionsPerNodeHour * MONTH_HOURS);
    }
}
