package io.prescale.simulator.engine;

import io.prescale.core.forecast.Forecaster;
import io.prescale.core.loop.Cluster;
import io.prescale.core.loop.DemandAggregator;
import io.prescale.core.loop.IrmLoop;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.cluster.ModelServer;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.RunResult;
import io.prescale.simulator.workload.ArrivalSource;
import io.prescale.simulator.workload.Workload;
import io.prescale.simulator.workload.WorkloadOracle;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One policy replayed over one workload: the discrete-event loop. Control ticks, report boundaries and
 * failures sit on a heap ordered by (time, sequence); before each event every model's arrivals up to
 * that time are streamed through its server. The IRM loop of core runs at each tick on the virtual clock.
 */
public final class Simulation {

    /** Told at every report boundary how far the run is (for progress bars; no wall clock in here). */
    public interface Progress {
        void at(String policy, double fraction, long requestsSoFar);

        Progress NONE = (p, f, r) -> {};
    }

    private final SimulationSetup setup;
    private java.util.function.Consumer<Observation> observations = o -> {};

    public Simulation(SimulationSetup setup) {
        this.setup = setup;
    }

    /** Hands {@code tap} every observation the policy is given, tick by tick (tests check what a policy could know). */
    Simulation observing(java.util.function.Consumer<Observation> tap) {
        this.observations = java.util.Objects.requireNonNull(tap, "tap");
        return this;
    }

    public RunResult run(String policyId, Map<String, ?> params, Progress progress) {
        long wallStart = System.nanoTime();
        Workload w = setup.workload();
        double from = setup.from(), to = setup.to();
        double start = setup.simulatedFrom(); // == from unless there is an unscored warm-up
        VirtualClock clock = new VirtualClock(w.at(start));
        WorkloadOracle oracleData = new WorkloadOracle(w, start, to, setup.rateScale());
        Forecaster forecaster = setup.forecasters().apply(policyId);
        History.feed(w, forecaster, start, setup.rateScale());
        PolicyContext ctx = new PolicyContext(clock, new SplittableRandom(setup.seed() ^ 0x5DEECE66DL), forecaster,
                setup.costModel(), PolicyCatalog.needsOracle(policyId) ? Optional.of(oracleData) : Optional.empty());
        Policy policy = PolicyCatalog.create(policyId, params, ctx);

        List<ModelSpec> specs = setup.models();
        MaskedWindows masked = new MaskedWindows(w);
        SimulatedCluster cluster = new SimulatedCluster(w.origin(), setup.pools().values(), specs, masked::within);
        // policies size with the profile calibrated to the work requests bring: known before each tick, unless the
        // policy knows the future anyway (ServiceCalibration)
        cluster.setPolicyView(ServiceCalibration.view(w, specs, start, PolicyCatalog.needsOracle(policyId)));
        // deadline admission and the preemption's deadline slack estimate services from what has been measured
        ServiceCalibration.seedEstimates(w, specs, start, cluster);
        cluster.setPacker(setup.cluster().packer());
        if (setup.cluster().consolidate()) cluster.enableConsolidation();
        if (setup.cluster().admission()) cluster.enableAdmission();
        // a replica that fails or goes with its spot node does not serve what it was running
        if (setup.replicaMtbfHours() > 0 || !setup.cluster().spot().isEmpty()) cluster.enableReplicaLoss();
        // a profile that prices output tokens describes autoregressive decoding, which engines batch per iteration
        for (int i = 0; i < specs.size(); i++) if (specs.get(i).latency().perOutputTokenSeconds() > 0) cluster.enableContinuousBatching(i);
        ArrivalSource[] sources = new ArrivalSource[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            ModelServer s = cluster.server(i);
            sources[i] = ArrivalSource.of(w, i, s, specs.get(i).latency(), start, to, setup.seed(), setup.rateScale());
        }
        double tick = policy.controlInterval().toNanos() / 1e9;
        DemandAggregator demand = new DemandAggregator(forecaster);
        History.openBucket(w, forecaster, demand, start, tick, setup.rateScale());
        IrmLoop loop = new IrmLoop(policy, demand, tapped(cluster, observations));
        SeriesRecorder series = new SeriesRecorder(cluster, from);

        PriorityQueue<SimEvent> events = new PriorityQueue<>();
        long seq = 0;
        double report = setup.reportInterval().toNanos() / 1e9;
        events.add(new SimEvent.ControlTick(start, seq++));
        if (start < from) events.add(new SimEvent.ScoreStart(from, seq++));
        events.add(new SimEvent.ReportBoundary(Math.min(to, from + report), seq++));
        events.add(new SimEvent.End(to, seq++));
        boolean parallel = setup.modelThreads() > 1 && specs.size() > 1;
        FailureInjector failures = new FailureInjector(setup.replicaMtbfHours(), setup.seed());
        SpotInterruptions spot = new SpotInterruptions(setup.cluster().spot(), setup.seed());
        boolean first = true;
        long requestsSoFar = 0;
        boolean reportedEnd = false;

        Arrivals arrivals = new Arrivals(sources, cluster, parallel, policy.scalesFromZeroOnArrival());
        while (!events.isEmpty()) {
            SimEvent e = events.poll();
            double t = e.time();
            arrivals.advanceTo(t);
            cluster.setNow(t);
            clock.set(w.at(t));
            if (e instanceof SimEvent.ControlTick) {
                loop.tick(clock.instant());
                if (first) {
                    cluster.warmStart();
                    first = false;
                }
                double next = t + tick;
                if (next < to) events.add(new SimEvent.ControlTick(next, seq++));
                for (SimEvent f : failures.next(cluster, t, tick, seq)) {
                    events.add(f);
                    seq++;
                }
                for (SimEvent s : spot.next(cluster, t, tick, seq)) {
                    events.add(s);
                    seq++;
                }
            } else if (e instanceof SimEvent.ReportBoundary) {
                series.close(t);
                requestsSoFar = series.arrivedSoFar();
                progress.at(policyId, (t - from) / (to - from), requestsSoFar);
                reportedEnd = t >= to;
                double next = t + report;
                if (t < to) events.add(new SimEvent.ReportBoundary(Math.min(to, next), seq++));
            } else if (e instanceof SimEvent.ScoreStart) {
                cluster.startScoring(t);
            } else if (e instanceof SimEvent.ReplicaFailure rf) {
                failures.fail(cluster, rf.model(), t);
            } else if (e instanceof SimEvent.SpotNotice n) {
                cluster.spotNotice(n.pool(), n.node(), t);
            } else if (e instanceof SimEvent.SpotInterrupt i) {
                cluster.spotInterrupt(i.pool(), i.node(), t);
            } else if (e instanceof SimEvent.End) {
                series.closeLast(t);
                break;
            }
        }
        // the last report boundary falls at the end, after End (queued first) stopped the loop: progress stopped short of it
        if (!reportedEnd) progress.at(policyId, 1.0, series.arrivedSoFar());
        cluster.finish(to);
        double wall = (System.nanoTime() - wallStart) / 1e9;
        return Results.of(policyId, PolicyCatalog.defaultsMerged(policyId, params), cluster, specs, to, series.rows(), wall);
    }

    /** {@code c}, handing every observation it makes to {@code tap} as well. */
    private static Cluster tapped(SimulatedCluster c, java.util.function.Consumer<Observation> tap) {
        return new Cluster() {
            @Override
            public Observation observe(java.time.Instant now) {
                Observation o = c.observe(now);
                tap.accept(o);
                return o;
            }

            @Override
            public void apply(Decision d) {
                c.apply(d);
            }

            @Override
            public void applyAll(List<Decision> ds) {
                c.applyAll(ds);
            }
        };
    }
}
