package io.prescale.policies.predictive;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.PoolObservation;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.policies.PolicyFixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The budget cap is honoured, capacity goes to the higher priority class first, and a replica costs the part
 * of a node it is billed for (a shared GPU's slice), not the whole node.
 */
class PredictiveBudgetPolicyTest {

    private static final long GB = 1_000_000_000L;

    private static ModelSpec spec(String id, PriorityClass p) {
        return spec(id, p, PolicyFixtures.spec(id, 8, 100).needs());
    }

    private static ModelSpec spec(String id, PriorityClass p, ResourceNeeds needs) {
        ModelSpec s = PolicyFixtures.spec(id, 8, 100);
        return new ModelSpec(s.id(), s.pool(), needs, s.profiles(), s.maxBatch(), s.maxQueueDelay(), s.queueCapacity(),
                s.timeout(), s.slo(), p, s.loadTime(), s.minReplicas(), s.maxReplicas());
    }

    /** Pool "gpu" (the fixtures' models run there) with one 80 GB GPU per node, at {@code price} USD/h, shared by {@code mode}. */
    private static PoolShape pool(double price, SharingMode mode) {
        return new PoolShape("gpu", "test", 1, 80 * GB, 16, 0, price, Duration.ofSeconds(180), mode, 0, 1000, "test");
    }

    /**
     * One tick of a "high" and a "low" model that each want 3 replicas (100 req/s observed, x 1.2 = 120 req/s,
     * 53.3 req/s per replica at 0.8 utilisation: ceil(2.25) = 3, see {@link #capHonouredAndHighPriorityServedFirst})
     * on {@code shape} under {@code cap}: the replicas granted per model, and the decisions.
     */
    private static Map<String, Integer> grant(PoolShape shape, ResourceNeeds needs, double cap, List<Decision> decisions) {
        var policy = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(cap, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        decisions.addAll(policy.decide(highAndLow(shape, needs, 1, 0.0))); // no node billed yet: the price alone decides
        Map<String, Integer> got = new HashMap<>();
        for (Decision x : decisions) if (x instanceof Decision.ScaleModel s) got.put(s.model(), s.replicas());
        return got;
    }

    private static Map<String, Integer> heldBack(List<Decision> d) {
        return d.stream().filter(x -> x instanceof Decision.NoOp).map(x -> ((Decision.NoOp) x).heldBack()).findFirst().orElse(Map.of());
    }

    private static String shortNote(List<Decision> d) {
        return d.stream().filter(x -> x instanceof Decision.NoOp).map(x -> ((Decision.NoOp) x).reason()).findFirst().orElse("");
    }

    @Test
    void oneGpuOfAnEightGpuInstancePricesAReplicaAtAnEighth() {
        // p4de.24xlarge: 8 x A100 80 GB at 40.96 USD/h. The catalogs declare one node per GPU at 40.96 / 8 = 5.12 USD/h,
        // and an exclusive replica takes one GPU: 5.12 USD/h. Both models want 3: 6 x 5.12 = 30.72 > cap 20.
        // The cap admits floor(20 / 5.12) = 3 replicas (15.36 USD/h; a 4th would make 20.48): all 3 to "high", none to "low".
        List<Decision> d = new java.util.ArrayList<>();
        Map<String, Integer> got = grant(pool(40.96 / 8, SharingMode.EXCLUSIVE), PolicyFixtures.spec("x", 8, 100).needs(), 20, d);
        assertThat(got).containsEntry("high", 3).containsEntry("low", 0);
        assertThat(shortNote(d)).contains("short: low -3");
    }

    @Test
    void aNodeDeclaredWithEightGpusIsPricedWholeBecauseAnExclusiveReplicaHoldsItAlone() {
        // gpusPerNode 8 at 40.96 USD/h, exclusive: the simulator packs one replica per node and bills it the whole
        // node, so the policy prices it at 40.96, not 5.12. Cap 100: floor(100 / 40.96) = 2 replicas, both to "high".
        PoolShape eight = new PoolShape("gpu", "test", 8, 80 * GB, 96, 0, 40.96, Duration.ofSeconds(180), SharingMode.EXCLUSIVE, 0, 1000, "test");
        List<Decision> d = new java.util.ArrayList<>();
        assertThat(grant(eight, PolicyFixtures.spec("x", 8, 100).needs(), 100, d)).containsEntry("high", 2).containsEntry("low", 0);
    }

    @Test
    void anMpsReplicaCostsItsShareOfTheGpu() {
        // MPS, 10 GB and half the SMs of an 80 GB GPU at 2 USD/h: share max(0.5, 10/80) = 0.5 -> 1 USD/h a replica.
        // 6 wanted = 6 USD/h > cap 4.5: floor(4.5 / 1) = 4 admitted, "high" 3, "low" 1 (at the whole node's 2 USD/h
        // only 2 would have been).
        List<Decision> d = new java.util.ArrayList<>();
        Map<String, Integer> got = grant(pool(2.0, SharingMode.MPS), new ResourceNeeds(1, 0, 10 * GB, 0.5, null), 4.5, d);
        assertThat(got).containsEntry("high", 3).containsEntry("low", 1);
        assertThat(shortNote(d)).contains("short: low -2");
        assertThat(heldBack(d)).isEqualTo(Map.of("low", 2));
    }

    @Test
    void aMigReplicaCostsTheGpuShareItsInstanceTakesWhenPackedWithItsKind() {
        // MIG on an 80 GB GPU at 14 USD/h; 30 GB and 0.4 of the SMs: 0.4 x 7 = 2.8 -> 3 slices with 30 GB: 3g.40gb.
        // A GPU holds two of them (80 GB), so each is billed half a GPU: 7 USD/h a replica. 6 wanted = 42 USD/h >
        // cap 20: floor(20 / 7) = 2 admitted (14 USD/h: one GPU), both to "high". Priced at 3 slices of 7 (6 USD/h),
        // 3 were admitted, and 3 such replicas take two GPUs: 28 USD/h billed against the cap of 20.
        List<Decision> d = new java.util.ArrayList<>();
        Map<String, Integer> got = grant(pool(14.0, SharingMode.MIG), new ResourceNeeds(1, 0, 30 * GB, 0.4, null), 20, d);
        assertThat(got).containsEntry("high", 2).containsEntry("low", 0);
        assertThat(shortNote(d)).contains("short: low -3");
    }

    @Test
    void theGrantedPriceNeverExceedsTheCapAndFillsIt() {
        // every mode, caps from 0.25 to 40 USD/h: granted replicas x replica price <= cap, and the cap admits exactly
        // min(6 wanted, floor(cap / price)) replicas (all replicas cost the same here, so greedy filling is exact)
        ResourceNeeds needs = new ResourceNeeds(1, 0, 30 * GB, 0.4, null);
        // replica prices at 8 USD/h a node: exclusive 8; MIG 3g.40gb, two to a GPU, 8 / 2; MPS max(0.4, 30/80) = 0.4 -> 3.2; time-sliced 30/80 -> 3
        Map<SharingMode, Double> price = Map.of(SharingMode.EXCLUSIVE, 8.0, SharingMode.MIG, 8 / 2.0,
                SharingMode.MPS, 3.2, SharingMode.TIME_SLICED, 3.0);
        for (SharingMode mode : SharingMode.values()) {
            for (double cap = 0.25; cap <= 40; cap += 0.25) {
                List<Decision> d = new java.util.ArrayList<>();
                Map<String, Integer> got = grant(pool(8.0, mode), needs, cap, d);
                int n = got.values().stream().mapToInt(Integer::intValue).sum();
                double each = price.get(mode);
                assertThat(n * each).as("%s at cap %.2f", mode, cap).isLessThanOrEqualTo(cap + 1e-9);
                assertThat(n).as("%s at cap %.2f", mode, cap).isEqualTo((int) Math.min(6, Math.floor(cap / each + 1e-9)));
                assertThat(got.get("high")).as("high first").isEqualTo(Math.min(3, n));
            }
        }
    }

    @Test
    void capHonouredAndHighPriorityServedFirst() {
        ModelSpec high = spec("high", PriorityClass.HIGH), low = spec("low", PriorityClass.LOW);
        // no forecaster: the hybrid falls back to the observed rate x 1.2. 30 s tick, 3,000 arrivals = 100 req/s -> 120 req/s.
        // Per replica at full batch: 8 / (0.04 + 0.01 x 8) = 66.7 req/s; at 0.8 utilisation: ceil(120 / 53.3) = 3 replicas each.
        var policy = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(8.0, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        ModelObservation h = PolicyFixtures.model(high, 3000, 0, 0, 0, 0.5, 1, 0);
        ModelObservation l = PolicyFixtures.model(low, 3000, 0, 0, 0, 0.5, 1, 0);
        Observation obs = PolicyFixtures.at(30, 30, l, h);
        List<Decision> d = policy.decide(obs);
        Map<String, Integer> got = new java.util.HashMap<>();
        for (Decision x : d) if (x instanceof Decision.ScaleModel s) got.put(s.model(), s.replicas());
        // 6 replicas x 2 USD/h = 12 USD/h > cap 8: four replicas fit; "high" gets all 3 it wants, "low" the 1 left
        assertThat(got).containsEntry("high", 3).containsEntry("low", 1);
        assertThat(got.values().stream().mapToInt(Integer::intValue).sum() * 2.0).isLessThanOrEqualTo(8.0);
        assertThat(d).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Decision.NoOp.class,
                n -> assertThat(n.reason()).contains("short: low -2")));
        // what the simulator charges as the budget shortfall: a field, the same as the text says
        assertThat(d).anySatisfy(x -> assertThat(x).isInstanceOfSatisfying(Decision.NoOp.class,
                n -> assertThat(n.heldBack()).isEqualTo(Map.of("low", 2))));
    }

    /** One tick (30 s) of two NORMAL models on the fixtures' pool (exclusive, 2 USD/h a replica) under {@code cap}: the grants. */
    private static Map<String, Integer> grantTwo(double cap, ModelObservation first, ModelObservation second) {
        var policy = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(cap, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        Map<String, Integer> got = new HashMap<>();
        for (Decision x : policy.decide(PolicyFixtures.at(30, 30, first, second)))
            if (x instanceof Decision.ScaleModel s) got.put(s.model(), s.replicas());
        return got;
    }

    @Test
    void aReplicaThatBuysNoSloMeetingRequestsGoesAfterOneThatDoes() {
        // "a-idle" had no request this tick but holds 1 replica: 0 req/s expected, and the hybrid keeps the replica
        // through its 5-minute scale-down delay (wants 1). "b-busy": 30 requests = 1 req/s (1.2 sized: wants 1).
        // Cap 2 USD/h buys one replica. a-idle's buys min(0, capacity) = 0 SLO-meeting req/s; b-busy's buys 1 req/s
        // per 2 USD/h: b-busy gets it (ranked by fewest replicas, then name, a-idle did)
        ModelSpec idle = spec("a-idle", PriorityClass.NORMAL), busy = spec("b-busy", PriorityClass.NORMAL);
        Map<String, Integer> got = grantTwo(2.0, PolicyFixtures.model(idle, 0, 0, 0, 0, 0.0, 1, 0),
                PolicyFixtures.model(busy, 30, 0, 0, 0, 0.5, 0, 0));
        assertThat(got).containsEntry("a-idle", 0).containsEntry("b-busy", 1);
    }

    // The fixture model: one replica serves within the SLO up to 52.58 req/s at the 0.9 utilisation cap, two up to
    // 118.09, three 180 (the cap itself) (ReplicaSizerTest.capacityIsTheHighestRateTheSizerServesWithThatManyReplicas).
    // Every replica costs 2 USD/h. Without a forecaster a model's expected demand is its observed rate, which the
    // hybrid sizes x 1.2.

    @Test
    void aModelWithDemandAndNoReplicaGetsOneBeforeAnotherModelsSecond() {
        // "a-big": 2,700 requests = 90 req/s (108 sized: 2 replicas); "b-small": 30 = 1 req/s (1 replica). Cap 4 USD/h
        // buys two. a-big's second would buy 90 - 52.58 = 37.4 SLO-meeting req/s, b-small's first only 1, but a model
        // with no replica gets its first before anyone's second: one each
        ModelSpec big = spec("a-big", PriorityClass.NORMAL), small = spec("b-small", PriorityClass.NORMAL);
        ModelObservation b = PolicyFixtures.model(big, 2700, 0, 0, 0, 0.5, 0, 0), s = PolicyFixtures.model(small, 30, 0, 0, 0, 0.5, 0, 0);
        assertThat(grantTwo(4.0, b, s)).containsEntry("a-big", 1).containsEntry("b-small", 1);
        // cap 2 USD/h buys one: among first replicas, the one that buys more, a-big's 52.58 req/s against 1
        assertThat(grantTwo(2.0, b, s)).containsEntry("a-big", 1).containsEntry("b-small", 0);
    }

    @Test
    void furtherReplicasGoWhereTheyBuyTheMostSloMeetingRequestsPerDollar() {
        // "a-few": 1,800 requests = 60 req/s (72 sized: 2 replicas); "b-many": 4,200 = 140 req/s (168 sized: 3).
        // Cap 8 USD/h buys four. First replicas: one each (52.58 req/s each). Then a-few's second buys 60 - 52.58 = 7.42,
        // b-many's second 118.09 - 52.58 = 65.51: b-many; then b-many's third 140 - 118.09 = 21.91 > 7.42: b-many.
        // a-few 1, b-many 3: 52.58 + 140 = 192.6 SLO-meeting req/s, where ranking by the count of replicas gave
        // 2 and 2: 60 + 118.09 = 178.1
        ModelSpec few = spec("a-few", PriorityClass.NORMAL), many = spec("b-many", PriorityClass.NORMAL);
        assertThat(grantTwo(8.0, PolicyFixtures.model(few, 1800, 0, 0, 0, 0.5, 0, 0), PolicyFixtures.model(many, 4200, 0, 0, 0, 0.5, 0, 0)))
                .containsEntry("a-few", 1).containsEntry("b-many", 3);
    }

    @Test
    void aReplicaToStartBuysOnlyTheTickAfterItsLeadTime() {
        // "a-starts": 4,200 requests = 140 req/s (3 wanted), holds 1 replica; "b-holds": 2,400 = 80 req/s (96 sized: 2),
        // holds 2. Lead time 180 s provisioning + 60 s load, plus the 30 s tick: a replica started now serves 30 / 270
        // of the horizon. Cap 6 USD/h buys three. First replicas: one each. a-starts' second buys 65.51 req/s, but
        // only over the last tick: 65.51 x 30 / 270 = 7.28; b-holds' second, which it holds, 80 - 52.58 = 27.42 over
        // all of it: b-holds keeps its second (by the count of replicas, then the name, a-starts took it)
        ModelSpec starts = spec("a-starts", PriorityClass.NORMAL), holds = spec("b-holds", PriorityClass.NORMAL);
        assertThat(grantTwo(6.0, PolicyFixtures.model(starts, 4200, 0, 0, 0, 0.5, 1, 0), PolicyFixtures.model(holds, 2400, 0, 0, 0, 0.5, 2, 0)))
                .containsEntry("a-starts", 1).containsEntry("b-holds", 2);
    }

    @Test
    void underTheCapItDecidesLikeTheHybrid() {
        ModelSpec m = spec("m", PriorityClass.NORMAL);
        var budget = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(1000, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        var hybrid = PredictiveHybridPolicy.create(PredictiveHybridPolicy.DEFAULTS, PolicyFixtures.context(Optional.empty()));
        Observation obs = PolicyFixtures.at(30, 30, PolicyFixtures.model(m, 3000, 0, 0, 0, 0.5, 1, 0));
        assertThat(budget.decide(obs)).isEqualTo(hybrid.decide(obs));
    }
    @Test
    void aForgottenModelStartsItsScaleDownDelayAfresh() {
        ModelSpec m = spec("m", PriorityClass.NORMAL);
        // 20 replicas ready and nearly idle (1 req/s): the hybrid's 5-minute scale-down delay starts at the
        // first such tick and lets them go once it has run out
        java.util.function.IntFunction<Observation> quiet = t -> PolicyFixtures.at(t, 30, PolicyFixtures.model(m, 30, 0, 0, 0, 0.05, 20, 0));
        var kept = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(1000, PredictiveHybridPolicy.DEFAULTS), PolicyFixtures.context(Optional.empty()));
        var forgot = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(1000, PredictiveHybridPolicy.DEFAULTS), PolicyFixtures.context(Optional.empty()));
        var fresh = PredictiveHybridPolicy.create(PredictiveHybridPolicy.DEFAULTS, PolicyFixtures.context(Optional.empty()));
        assertThat(kept.decide(quiet.apply(30))).isEqualTo(forgot.decide(quiet.apply(30)));
        // removed and registered again under its name: the delay starts again at t = 360, as for a policy that never saw it
        forgot.forget("m");
        List<Decision> afresh = fresh.decide(quiet.apply(360));
        assertThat(afresh).containsExactly(new Decision.ScaleModel("m", 20));
        assertThat(forgot.decide(quiet.apply(360))).isEqualTo(afresh);
        // without the forget, the delay begun at t = 30 has run out (330 s > 300 s): the replicas go
        assertThat(((Decision.ScaleModel) kept.decide(quiet.apply(360)).get(0)).replicas()).isLessThan(20);
    }

    @Test
    void aBillOverTheCapShrinksWhatTheGrantsMaySpendAndItGrowsBackWhenTheBillFalls() {
        // exclusive 1-GPU nodes at 5.12 USD/h, cap 20.48 = 4 replicas exactly; both models want 3 (6 x 5.12 = 30.72)
        var policy = new PredictiveBudgetPolicy(new PredictiveBudgetPolicy.Params(20.48, PredictiveHybridPolicy.DEFAULTS),
                PolicyFixtures.context(Optional.empty()));
        PoolShape shape = pool(5.12, SharingMode.EXCLUSIVE);
        int tick = 0;
        // bill 0 (nothing running yet): the whole cap, 4 replicas
        assertThat(granted(policy, shape, ++tick, 0)).isEqualTo(4);
        // the bill runs over the cap (6 nodes, 30.72 USD/h: a share price misses nodes that provision or drain): the
        // grants are priced against 20.48 x 0.97 = 19.87 (the step is at most 3 % a tick, not 20.48 / 30.72), 3 replicas
        assertThat(granted(policy, shape, ++tick, 30.72)).isEqualTo(3);
        // 0.97^23 = 0.496: after 23 ticks over, the floor, half the cap: 10.24 buys 2
        for (int i = 1; i < 23; i++) granted(policy, shape, ++tick, 30.72);
        assertThat(granted(policy, shape, ++tick, 30.72)).isEqualTo(2);
        assertThat(granted(policy, shape, ++tick, 30.72)).as("never below half the cap").isEqualTo(2);
        // the bill falls under 95 % of the cap: 1 % back a tick; 1.01^69 = 1.987 (3 replicas: 20.35 buys 3), 1.01^70 = 2.007 (4)
        for (int i = 1; i < 69; i++) granted(policy, shape, ++tick, 10.24);
        assertThat(granted(policy, shape, ++tick, 10.24)).isEqualTo(3);
        assertThat(granted(policy, shape, ++tick, 10.24)).isEqualTo(4);
    }

    /** Replicas granted in total at control tick {@code tick} (30 s each) while the pool bills {@code bill} USD/h. */
    private static int granted(PredictiveBudgetPolicy policy, PoolShape shape, int tick, double bill) {
        int n = 0;
        for (Decision x : policy.decide(highAndLow(shape, PolicyFixtures.spec("x", 8, 100).needs(), tick, bill)))
            if (x instanceof Decision.ScaleModel s) n += s.replicas();
        return n;
    }

    /** Control tick {@code tick} (30 s each) of a "high" and a "low" model, 3,000 arrivals each, while the pool bills {@code bill} USD/h. */
    private static Observation highAndLow(PoolShape shape, ResourceNeeds needs, int tick, double bill) {
        ModelObservation h = PolicyFixtures.model(spec("high", PriorityClass.HIGH, needs), 3000, 0, 0, 0, 0.5, 1, 0);
        ModelObservation l = PolicyFixtures.model(spec("low", PriorityClass.LOW, needs), 3000, 0, 0, 0, 0.5, 1, 0);
        return new Observation(PolicyFixtures.T0.plusSeconds(30L * tick), Duration.ofSeconds(30), List.of(l, h),
                List.of(new PoolObservation(shape, 0, 0, 0, 0, bill)));
    }
}
