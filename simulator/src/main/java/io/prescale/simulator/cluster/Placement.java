package io.prescale.simulator.cluster;

/** How replicas are placed: the packer, and whether shared-GPU nodes are consolidated when demand falls. */
public record Placement(SimulatedPool.Packer packer, boolean consolidate) {
    public static final Placement DEFAULT = new Placement(SimulatedPool.Packer.FIRST_FIT, false);
}
