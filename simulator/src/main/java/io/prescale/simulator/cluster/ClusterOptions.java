package io.prescale.simulator.cluster;

/**
 * How the simulated cluster runs: the packer that places replicas, whether shared-GPU nodes are
 * consolidated when demand falls, and whether model servers admit requests by deadline (reject at once a
 * request that cannot finish within its SLO behind the queue already waiting, as the live runner does,
 * instead of letting it wait, miss anyway and delay the requests behind it).
 */
public record ClusterOptions(SimulatedPool.Packer packer, boolean consolidate, boolean admission) {
    public static final ClusterOptions DEFAULT = new ClusterOptions(SimulatedPool.Packer.FIRST_FIT, false, false);
}
