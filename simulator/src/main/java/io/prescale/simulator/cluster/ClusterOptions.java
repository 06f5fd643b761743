package io.prescale.simulator.cluster;

import java.util.Map;

/**
 * How the simulated cluster runs: the packer that places replicas, whether shared-GPU nodes are
 * consolidated when demand falls, whether model servers admit requests by deadline (reject at once a
 * request that cannot finish within its SLO behind the queue already waiting, as the live runner does,
 * instead of letting it wait, miss anyway and delay the requests behind it), and which pools are spot
 * capacity that the provider interrupts (pool id → its {@link SpotMarket}; none by default).
 */
public record ClusterOptions(SimulatedPool.Packer packer, boolean consolidate, boolean admission, Map<String, SpotMarket> spot) {
    public static final ClusterOptions DEFAULT = new ClusterOptions(SimulatedPool.Packer.FIRST_FIT, false, false);

    public ClusterOptions {
        spot = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(spot)); // ordered: runs draw in pool order
    }

    /** With no spot pool. */
    public ClusterOptions(SimulatedPool.Packer packer, boolean consolidate, boolean admission) {
        this(packer, consolidate, admission, Map.of());
    }

    /** The same options with pool {@code pool} interrupted as {@code market} says. */
    public ClusterOptions withSpot(String pool, SpotMarket market) {
        Map<String, SpotMarket> m = new java.util.LinkedHashMap<>(spot);
        m.put(pool, market);
        return new ClusterOptions(packer, consolidate, admission, m);
    }
}
