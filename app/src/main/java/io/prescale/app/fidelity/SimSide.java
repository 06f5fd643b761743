package io.prescale.app.fidelity;

import io.prescale.core.config.PolicyFile;
import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.simulator.engine.Simulation;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.setup.TraceSetup;
import io.prescale.simulator.workload.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated half: the plan's arrivals replayed by the simulator on the same compressed timeline, with a
 * model spec built from the live registration and the measured profile. The pool is one CPU node per replica
 * ({@code cpuThreads} cores, priced 1 per hour), so the pool bill in node-hours is the replica-hours, billed
 * from placement (load time included) as the live side's "held" replicas are.
 */
final class SimSide {
    static final String POOL = "cpu-replica";
    private static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private SimSide() {}

    /** The spec of one served model: registration plus the profile; {@code extraBase} is added to the service time's base. */
    static ModelSpec spec(String model, ModelRegistration reg, MeasuredProfile p, double extraBaseSeconds) {
        int maxBatch = Math.max(1, reg.batching().maxBatch());
        LatencyProfile profile = LatencyProfile.linear(p.baseSeconds() + extraBaseSeconds, p.perItemSeconds());
        ResourceNeeds needs = new ResourceNeeds(reg.resources().cpuThreads(), 0, 0, 0, null);
        Slo slo = new Slo(reg.slo().latency(), 0, reg.slo().target());
        return new ModelSpec(model, POOL, needs, Map.of(POOL, profile), maxBatch, reg.batching().maxQueueDelay(),
                reg.batching().queueCapacity(), reg.timeout(), slo, PriorityClass.parse(reg.priority()),
                Duration.ofNanos(Math.round(p.loadSeconds() * 1e9)), reg.minReplicas(), reg.maxReplicas());
    }

    static PoolShape pool(int cpuThreads, int maxNodes) {
        return new PoolShape(POOL, "none", 0, 0, cpuThreads, 0, 1.0, Duration.ZERO, SharingMode.EXCLUSIVE, 0, maxNodes,
                "one node per replica, priced 1/h so node-hours = replica-hours");
    }

    /**
     * Runs the plan in the simulator; specs by served model. With {@code serviceCv > 0} each request's service time
     * varies around its spec's single-request time with that coefficient of variation, as measured live.
     */
    static RunResult run(ArrivalPlan plan, Map<String, ModelSpec> specs, int cpuThreads, PolicyFile policy, long seed, double serviceCv) {
        Map<String, Double> means = new LinkedHashMap<>();
        if (serviceCv > 0) specs.forEach((m, s) -> means.put(m, s.latency().batchSeconds(1)));
        Workload w = plan.toWorkload(EPOCH, means, serviceCv, seed);
        List<ModelSpec> ordered = new ArrayList<>();
        int maxNodes = 0;
        for (String m : w.models()) {
            ModelSpec s = specs.get(m);
            ordered.add(s);
            maxNodes += s.maxReplicas();
        }
        Map<String, PoolShape> pools = new LinkedHashMap<>();
        pools.put(POOL, pool(cpuThreads, Math.max(1, maxNodes)));
        double from = w.seconds(EPOCH), to = from + plan.wallSeconds();
        // the simulator takes arrivals in [from, to) while the live side sends every arrival of the plan: a window cut at
        // the trace's end finishes on its last request, which must not fall on the excluded end
        for (int i = 0; i < w.models().size(); i++) {
            double[] t = w.requests(i).time();
            if (t.length > 0) to = Math.max(to, Math.nextUp(t[t.length - 1]));
        }
        SimulationSetup setup = new SimulationSetup(w, from, to, ordered, pools, 1.0, seed, Duration.ofSeconds(1),
                TraceSetup.costModel(pools), ForecasterChoice.DEFAULT::forPolicy, 0, 1);
        return new Simulation(setup).run(policy.policy(), policy.params(), Simulation.Progress.NONE);
    }
}
