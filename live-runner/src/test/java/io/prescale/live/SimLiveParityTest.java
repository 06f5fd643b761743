package io.prescale.live;

import io.prescale.core.config.PolicyFile;
import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.loop.Cluster;
import io.prescale.core.loop.DemandAggregator;
import io.prescale.core.loop.IrmLoop;
import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PolicyContext;
import io.prescale.core.policy.PoolObservation;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.live.loop.ControlLoop;
import io.prescale.live.loop.LiveCluster;
import io.prescale.live.loop.LiveForecasters;
import io.prescale.live.metrics.LiveMetrics;
import io.prescale.live.registry.ModelRegistry;
import io.prescale.live.registry.ModelStore;
import io.prescale.policies.PolicyCatalog;
import io.prescale.core.config.Yaml;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.ServeAccess;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sim/live parity: the same observation sequence through the simulator's path (core IrmLoop over a policy
 * built straight from the catalog) and through the live runner's control loop (policy file, activation,
 * ControlLoop) gives the same decisions, tick by tick, for every policy that can run live.
 */
class SimLiveParityTest {
    @TempDir
    Path dir;

    static final ModelSpec SPEC = new ModelSpec("m", "cpu", new ResourceNeeds(1, 0, 0, 0, null), Map.of("cpu", LatencyProfile.linear(0.01, 0.002)),
            8, Duration.ofMillis(2), 256, Duration.ofSeconds(10), new Slo(Duration.ofMillis(200), 0, 0.99), PriorityClass.NORMAL,
            Duration.ofSeconds(2), 0, 10);

    /** A scripted day: quiet, a ramp to a burst, back down to nothing (replicas follow what was decided). */
    static final class ScriptedCluster implements Cluster {
        final List<Decision> applied = new ArrayList<>();
        int replicas = 1;
        int tick;

        @Override
        public Observation observe(Instant now) {
            long[] arrivals = {5, 5, 40, 200, 600, 900, 900, 300, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            long a = arrivals[Math.min(tick, arrivals.length - 1)];
            tick++;
            double busy = replicas == 0 ? Double.NaN : Math.min(1, a * 0.012 / (replicas * 15.0));
            var m = new ModelObservation(SPEC, a, (int) (a / 50), Math.min(replicas, (int) a), a * 0.012 / 15.0, busy,
                    a == 0 ? Double.NaN : 0.02 + a / 10000.0, a == 0 ? Double.NaN : 0.995, replicas, 0, 0, 0, false);
            var pool = new PoolObservation(LiveCluster.localCpuPool(0.04), 1, 0, 0, 0, 0.08);
            return new Observation(now, Duration.ofSeconds(15), List.of(m), List.of(pool));
        }

        @Override
        public void apply(Decision d) {
            applied.add(d);
            if (d instanceof Decision.ScaleModel s) replicas = Math.max(0, Math.min(10, s.replicas()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reactive.hpa", "reactive.knative", "reactive.ray-serve", "keepalive.fixed", "keepalive.hybrid-histogram",
            "predictive.headroom", "predictive.hybrid", "predictive.aws-style", "predictive.sageserve-style"})
    void sameObservationsGiveSameDecisions(String policyId) {
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        ManualClock simClock = new ManualClock(start), liveClock = new ManualClock(start);
        CostModel cost = new CostModel(Map.of("cpu", 0.08), 0);
        String name = "parity";

        // simulator's path
        ScriptedCluster sim = new ScriptedCluster();
        // the default forecaster rule (ForecasterChoice.DEFAULT), written out here independently of the live side
        Forecaster simForecaster = !policyId.startsWith("predictive.") ? Forecaster.none()
                : io.prescale.forecasting.ForecasterCatalog.create(policyId.equals("predictive.sageserve-style") ? "arima" : "holt-winters", Duration.ofMinutes(10));
        var ctx = new PolicyContext(simClock, new SplittableRandom(name.hashCode()), simForecaster, cost, Optional.empty());
        IrmLoop simLoop = new IrmLoop(PolicyCatalog.create(policyId, Map.of(), ctx), new DemandAggregator(simForecaster), sim);

        // live runner's path
        ScriptedCluster live = new ScriptedCluster();
        ModelRegistry empty = new ModelRegistry(dir.resolve("state"), new ModelStore(dir.resolve("store")), new LiveMetrics(), Runnable::run, 0.04, 1);
        ControlLoop control = new ControlLoop(live, empty, new CatalogPolicyFactory(), LiveForecasters::forPolicy, liveClock, cost, null, null);
        control.activate(new PolicyFile(null, name, policyId, Map.of(), null));

        Duration every = simLoop.policy().controlInterval();
        for (int i = 0; i < 200; i++) {
            List<Decision> a = simLoop.tick(simClock.advance(every));
            List<Decision> b = control.tick(liveClock.advance(every));
            assertThat(b).as("tick %d of %s", i, policyId).isEqualTo(a);
        }
        assertThat(live.applied).isEqualTo(sim.applied);
        assertThat(sim.applied).as("the script makes " + policyId + " act").isNotEmpty();
    }

    /**
     * The observation itself, not only what a policy makes of it: the live runner's SLO attainment counts requests that
     * timed out as the simulator's does (SimulatedCluster.observe: met / (served + timed out)). It counted served
     * requests only, so a model answering 504s looked healthy to the same policy that the simulator saw missing its SLO.
     */
    @Test
    void sloAttainmentCountsTimedOutRequestsAsTheSimulatorDoes() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ModelRegistry registry = new ModelRegistry(dir.resolve("state"), new ModelStore(store), new LiveMetrics(), Runnable::run, 0.04, 1);
        try {
            ModelRegistration reg = Yaml.json().readValue("{\"name\":\"m\",\"file\":\"affine.onnx\",\"minReplicas\":1,"
                    + "\"slo\":{\"latency\":\"60s\",\"target\":0.99},\"timeout\":\"60s\"}", ModelRegistration.class);
            ModelServer server = registry.register(reg);
            LiveCluster cluster = new LiveCluster(registry, LiveCluster.localCpuPool(0.04, 1), Duration.ofSeconds(15));
            Instant t0 = Instant.parse("2026-01-05T00:00:00Z");
            cluster.startInterval(t0);
            Map<String, Tensor> row = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 4}, new float[]{2, 0, 0, 0}));
            for (int i = 0; i < 3; i++) server.submit(row, Optional.empty(), Optional.empty()).get(30, TimeUnit.SECONDS); // met (60 s SLO)
            ServeAccess.expireOne(server, row); // one 504: waited past its timeout

            ModelObservation m = cluster.observe(t0.plusSeconds(15)).models().get(0);
            assertThat(m.timedOut()).isEqualTo(1);
            // the simulator's rule: 3 met / (3 served + 1 timed out) = 0.75; counting served only gave 3 / 3 = 1.0
            assertThat(m.sloAttainment()).isEqualTo(0.75);

            // only timeouts in an interval: attainment 0 / (0 + 1) = 0, as the simulator says, not NaN (no data)
            ServeAccess.expireOne(server, row);
            assertThat(cluster.observe(t0.plusSeconds(30)).models().get(0).sloAttainment()).isZero();
            // nothing finished: NaN in both
            assertThat(cluster.observe(t0.plusSeconds(45)).models().get(0).sloAttainment()).isNaN();
        } finally {
            registry.close();
        }
    }
}
