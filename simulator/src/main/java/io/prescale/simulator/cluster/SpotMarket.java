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
 * <p>{@link #GCP_PREEMPTIBLE} follows Google Compute Engine's preemptible VMs, which "always stop after 24 hours"
 * ("Create and use preemptible VMs", Compute Engine documentation) with 30 seconds from the soft to the hard
 * power-off of a Spot VM (the {@code skipGuestOsShutdown} field of the Compute API's scheduling options). Google
 * publishes no preemption rate, so only the sure stop is replayed: each node is taken back 24 hours after it was
 * provisioned.
 *
 * @param interruptionsPerNodeHour the hazard per node-hour, ≥ 0
 * @param notice                   from the notice to the node going away
 * @param maxLifetime              a node is taken back this long after it was provisioned; zero for no limit
 */
public record SpotMarket(double interruptionsPerNodeHour, Duration notice, Duration maxLifetime) {
    /** The hours of the Advisor's trailing month. */
    static final double MONTH_HOURS = 30 * 24;

    public static final SpotMarket AWS_TOP_BAND = ofMonthlyFrequency(0.20, Duration.ofMinutes(2));
    public static final SpotMarket GCP_PREEMPTIBLE = new SpotMarket(0, Duration.ofSeconds(30), Duration.ofHours(24));

    public SpotMarket {
        if (!(interruptionsPerNodeHour >= 0) || Double.isInfinite(interruptionsPerNodeHour))
            throw new IllegalArgumentException("spot interruptions per node-hour must be >= 0 and finite");
        if (notice == null || notice.isNegative()) throw new IllegalArgumentException("spot notice must be >= 0");
        if (maxLifetime == null || maxLifetime.isNegative()) throw new IllegalArgumentException("spot max lifetime must be >= 0");
    }

    /** With no lifetime limit. */
    public SpotMarket(double interruptionsPerNodeHour, Duration notice) {
        this(interruptionsPerNodeHour, notice, Duration.ZERO);
    }

    /** A market where {@code fraction} of the nodes are reclaimed within a 30-day month (the Advisor's figure). */
    public static SpotMarket ofMonthlyFrequency(double fraction, Duration notice) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("monthly interruption frequency must be in [0, 1)");
        return new SpotMarket(-Math.log1p(-fraction) / MONTH_HOURS, notice);
    }

    /** {@code aws-top-band} or {@code gcp-preemptible} (what {@code simulate --spot-market} takes). */
    public static SpotMarket named(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "aws-top-band", "aws" -> AWS_TOP_BAND;
            case "gcp-preemptible", "gcp" -> GCP_PREEMPTIBLE;
            default -> throw new IllegalArgumentException("unknown spot market '" + name + "' (aws-top-band, gcp-preemptible)");
        };
    }

    /** How a recommendation says it: "each node interrupted at 20 % a month, 2m notice". */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (interruptionsPerNodeHour > 0) b.append(String.format(java.util.Locale.ROOT, "each node interrupted at %.0f %% a month", 100 * monthlyFrequency()));
        if (!maxLifetime.isZero())
            b.append(b.isEmpty() ? "" : " and ").append("each node taken back ").append(io.prescale.core.config.Durations.format(maxLifetime))
                    .append(" after it starts");
        if (b.isEmpty()) b.append("no interruption");
        return b.append(", ").append(io.prescale.core.config.Durations.format(notice)).append(" notice").toString();
    }

    /** The monthly frequency this hazard gives (inverse of {@link #ofMonthlyFrequency}). */
    public double monthlyFrequency() {
        return -Math.expm1(-interruptionsPerNodeHour * MONTH_HOURS);
    }
}
