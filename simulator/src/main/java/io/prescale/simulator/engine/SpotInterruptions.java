package io.prescale.simulator.engine;

import io.prescale.simulator.cluster.Node;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.cluster.SimulatedPool;
import io.prescale.simulator.cluster.SpotMarket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Spot pools' interruptions: at each control tick, every node of a spot pool not yet under notice is given one
 * with probability 1 − exp(−hazard × tick) (its {@link SpotMarket}), at a uniform time within the tick, and is taken
 * back the market's notice later; a market with a lifetime limit takes a node back that long after it was
 * provisioned (its notice that much earlier, at this tick at the soonest). Seeded, so a run is repeatable; off when
 * no pool is spot.
 */
final class SpotInterruptions {
    private final Map<String, SpotMarket> markets;
    private final SplittableRandom random;

    SpotInterruptions(Map<String, SpotMarket> markets, long seed) {
        this.markets = markets;
        this.random = new SplittableRandom(seed ^ 0x5B07L);
    }

    /** The notices and interruptions drawn for the tick at {@code t}, numbered from {@code seq}. */
    List<SimEvent> next(SimulatedCluster c, double t, double tick, long seq) {
        if (markets.isEmpty()) return List.of();
        List<SimEvent> out = new ArrayList<>();
        for (SimulatedPool p : c.pools()) {
            SpotMarket m = markets.get(p.id());
            if (m == null) continue;
            double prob = -Math.expm1(-m.interruptionsPerNodeHour() * tick / 3600);
            double notice = m.notice().toNanos() / 1e9, life = m.maxLifetime().toNanos() / 1e9;
            for (Node n : p.activeNodes()) {
                if (n.cordoned()) continue;
                double at;
                if (life > 0 && n.provisionedAt() + life - notice < t + tick) at = Math.max(t, n.provisionedAt() + life - notice);
                else if (prob > 0 && random.nextDouble() < prob) at = t + random.nextDouble() * tick;
                else continue;
                out.add(new SimEvent.SpotNotice(at, seq++, p.id(), n.id()));
                out.add(new SimEvent.SpotInterrupt(at + notice, seq++, p.id(), n.id()));
            }
        }
        return out;
    }
}
