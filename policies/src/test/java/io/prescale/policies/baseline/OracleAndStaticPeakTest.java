package io.prescale.policies.baseline;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.policies.sizing.ReplicaSizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.prescale.policies.PolicyFixtures.at;
import static io.prescale.policies.PolicyFixtures.context;
import static io.prescale.policies.PolicyFixtures.model;
import static io.prescale.policies.PolicyFixtures.oracle;
import static io.prescale.policies.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OracleAndStaticPeakTest {
    static final ModelSpec M = spec("m", 8, 500);

    static int replicas(Policy p, Observation o) {
        return ((Decision.ScaleModel) p.decide(o).get(0)).replicas();
    }

    @Test
    void oracleProvisionsAheadOfABurstByTheWarmUpLeadAndReleasesAfter() {
        // 200 req/s during [1000, 2000) s, nothing otherwise. Lead = 180 s provisioning + 60 s load + 2 ticks of 10 s = 260 s
        var p = new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.of(oracle((m, t) -> t >= 1000 && t < 2000 ? 200 : 0))));
        int need = ReplicaSizer.replicas(200, M, OraclePolicy.Params.DEFAULTS.maxUtilization());
        assertThat(need).isGreaterThan(1);
        assertThat(replicas(p, at(500, 10, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isZero();   // burst 500 s away
        assertThat(replicas(p, at(760, 10, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isEqualTo(need); // within the lead
        assertThat(replicas(p, at(1500, 10, model(M, 200, 0, 0, 0, 0.5, need, 0)))).isEqualTo(need);
        // after the burst, with its last requests still in the system: one replica per max batch of them
        assertThat(replicas(p, at(2010, 10, model(M, 0, 9, 0, 9, 0.5, need, 0)))).isEqualTo(2);
        assertThat(replicas(p, at(2100, 10, model(M, 0, 0, 0, 0, 0, need, 0)))).isZero();
    }

    @Test
    void staticPeakSizesOnceForThePeakAndNeverMoves() {
        var p = new StaticPeakPolicy(StaticPeakPolicy.Params.DEFAULTS, context(Optional.of(oracle((m, t) -> t < 3600 ? 50 : 150))));
        int peak = ReplicaSizer.replicas(150, M, 0.8);
        for (int t = 0; t < 7200; t += 60) {
            assertThat(replicas(p, at(t, 60, model(M, t, 0, 0, 0, 0.1, peak, 0)))).isEqualTo(peak);
        }
    }

    @Test
    void policiesThatNeedTheFutureRefuseToRunWithoutIt() {
        assertThatThrownBy(() -> new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.empty())))
                .hasMessageContaining("oracle");
        assertThatThrownBy(() -> new StaticPeakPolicy(StaticPeakPolicy.Params.DEFAULTS, context(Optional.empty())))
                .hasMessageContaining("static.peak");
    }

    @Test
    void oracleHoldsASteadyCountWhileTheSameArrivalsLieAheadInsteadOfFlippingEveryTick() {
        // A 20 s job (max batch 1, SLO 60 s, 60 s load) and two requests, at 1005 s and 1015 s. Lead = 180 s
        // provisioning + 60 s load + 2 ticks = 260 s: 13 sub-windows of 20 s, look-ahead [now, now + 280 s).
        // One request in a 20 s window is 0.05 req/s: 3 replicas (M/M/n with mu = 0.05: n = 3 waits
        // ln(9.09) / 0.10 = 22 s, 22 + 20 <= 60; n = 2 waits 70 s); both in one window, 0.1 req/s: 4 replicas
        // (n = 4: ln(17.39) / 0.10 = 28.6 s, 28.6 + 20 <= 60; n = 3 waits 75.9 s).
        // From t = 800 s to 1000 s both requests lie ahead. Windows starting at now grouped them together at
        // t = 800, 820, ... (window [1000, 1020)) and apart at t = 810, 830, ... ([990, 1010) and [1010, 1030)),
        // so the count went 4, 3, 4, 3 and a replica was stopped and restarted, a full lead each time. On the
        // grid of 20 s windows (T0 is a multiple of 20 s) they always share [1000, 1020): 4 at every tick.
        ModelSpec job = new ModelSpec("job", "gpu", new ResourceNeeds(1, 0, 10_000_000_000L, 0.5, null),
                Map.of("gpu", LatencyProfile.linear(20, 0)), 1, Duration.ZERO, 1000, Duration.ofSeconds(900),
                new Slo(Duration.ofSeconds(60), 0, 0.99), PriorityClass.NORMAL, Duration.ofSeconds(60), 0, 200);
        assertThat(ReplicaSizer.replicas(0.05, job, 0.95)).isEqualTo(3);
        assertThat(ReplicaSizer.replicas(0.10, job, 0.95)).isEqualTo(4);
        var p = new OraclePolicy(OraclePolicy.Params.DEFAULTS, context(Optional.of(oracle((m, t) -> t == 1005 || t == 1015 ? 1 : 0))));
        List<Integer> targets = new ArrayList<>();
        int held = 0;
        for (int t = 800; t <= 1000; t += 10) {
            held = replicas(p, at(t, 10, model(job, 0, 0, 0, 0, Double.NaN, held, 0)));
            targets.add(held);
        }
        assertThat(targets).hasSize(21).containsOnly(4);
    }
}
