package io.prescale.policies.baseline;

import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.prescale.policies.PolicyFixtures.at;
import static io.prescale.policies.PolicyFixtures.context;
import static io.prescale.policies.PolicyFixtures.model;
import static io.prescale.policies.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

/** The reactive baselines against hand-worked tick sequences on a clock the test advances. */
class ReactivePolicyGoldenTest {
    static final ModelSpec M = spec("m", 10, 100);

    static int replicas(Policy p, Observation o) {
        List<Decision> ds = p.decide(o);
        assertThat(ds).hasSize(1);
        return ((Decision.ScaleModel) ds.get(0)).replicas();
    }

    // ---- Kubernetes HPA: target 0.6, tolerance 0.1, 15 s sync, 300 s scale-down stabilisation ----

    static ReactiveHpaPolicy hpa() {
        return new ReactiveHpaPolicy(ReactiveHpaPolicy.Params.DEFAULTS, context(Optional.empty()));
    }

    static Observation hpaTick(double t, double busy, int ready) {
        return at(t, 15, model(M, 100, 0, 0, 0, busy, ready, 0));
    }

    @Test
    void hpaAppliesTheRatioRule() {
        // 4 ready at 90 % busy, target 60 %: ceil(4 x 0.9 / 0.6) = ceil(6.0) = 6
        assertThat(replicas(hpa(), hpaTick(0, 0.9, 4))).isEqualTo(6);
        // 3 ready at 100 %: ceil(3 / 0.6) = ceil(5.0) = 5
        assertThat(replicas(hpa(), hpaTick(0, 1.0, 3))).isEqualTo(5);
    }

    @Test
    void hpaIgnoresRatiosWithinTheTolerance() {
        // 0.65 / 0.6 = 1.083 and 0.55 / 0.6 = 0.917: |ratio - 1| <= 0.1 -> keep 4
        assertThat(replicas(hpa(), hpaTick(0, 0.65, 4))).isEqualTo(4);
        assertThat(replicas(hpa(), hpaTick(0, 0.55, 4))).isEqualTo(4);
        // 0.7 / 0.6 = 1.167 is outside: ceil(4 x 0.7 / 0.6) = ceil(4.67) = 5
        assertThat(replicas(hpa(), hpaTick(0, 0.7, 4))).isEqualTo(5);
    }

    @Test
    void hpaLimitsScaleUpToMaxOfFourPodsOrDoublePerPeriod() {
        var p = new ReactiveHpaPolicy(new ReactiveHpaPolicy.Params(0.1, 0.1, Duration.ofSeconds(15),
                Duration.ofSeconds(300), 4, 100, 1), context(Optional.empty()));
        // 2 ready at 100 % with target 10 % want 20; the limit is max(2 + 4, 2 x 2) = 6
        assertThat(replicas(p, hpaTick(0, 1.0, 2))).isEqualTo(6);
    }

    @Test
    void hpaKeepsTheCountWhenPodsStillStartingTurnAScaleUpIntoADownscale() {
        // 2 ready at 100 %, 3 starting: the ratio 1 / 0.6 = 1.67 says up; over all 5 pods (the starting ones at 0 %)
        // 2 / (5 x 0.6) = 0.67 < 1, the direction changed, so Kubernetes keeps 5. The ready pods alone said
        // ceil(2 / 0.6) = 4: recorded as the recommendation, it let the count fall to 4 after the stabilisation window
        ReactiveHpaPolicy p = hpa();
        for (int t = 0; t <= 315; t += 15)
            assertThat(replicas(p, at(t, 15, model(M, 100, 0, 0, 0, 1.0, 2, 3)))).as("t=%d", t).isEqualTo(5);
    }

    @Test
    void hpaRoundsThePercentScaleUpLimitUpAsKubernetesDoes() {
        var p = new ReactiveHpaPolicy(new ReactiveHpaPolicy.Params(0.1, 0.1, Duration.ofSeconds(15),
                Duration.ofSeconds(300), 1, 50, 1), context(Optional.empty()));
        // 5 ready at 100 % with target 10 % want 50; the limit is max(5 + 1, ceil(5 x 1.5 = 7.5)) = 8 (floor gave 7)
        assertThat(replicas(p, hpaTick(0, 1.0, 5))).isEqualTo(8);
    }

    @Test
    void hpaHoldsScaleDownForTheStabilisationWindowThenReleasesIt() {
        ReactiveHpaPolicy p = hpa();
        // t = 0: 6 ready at the target -> recommendation 6
        assertThat(replicas(p, hpaTick(0, 0.6, 6))).isEqualTo(6);
        // from t = 15 load falls to 10 %: raw recommendation ceil(6 x 0.1 / 0.6) = 1, but the highest
        // recommendation of the last 300 s is still the 6 of t = 0
        for (int t = 15; t <= 300; t += 15) assertThat(replicas(p, hpaTick(t, 0.1, 6))).as("t=%d", t).isEqualTo(6);
        // t = 315: the t = 0 recommendation is older than 300 s; everything left says 1
        assertThat(replicas(p, hpaTick(315, 0.1, 6))).isEqualTo(1);
    }

    @Test
    void aForgottenModelStartsAfreshWithoutItsStabilisationWindow() {
        ReactiveHpaPolicy p = hpa();
        // t = 0 recommends 6; at t = 15 the window still holds it (as above)
        assertThat(replicas(p, hpaTick(0, 0.6, 6))).isEqualTo(6);
        assertThat(replicas(p, hpaTick(15, 0.1, 6))).isEqualTo(6);
        // the model was removed (live runner) and registered again under its name: no window from before,
        // so t = 30 at 10 % busy gives its own ceil(6 x 0.1 / 0.6) = 1
        p.forget("m");
        assertThat(replicas(p, hpaTick(30, 0.1, 6))).isEqualTo(1);
    }

    @Test
    void hpaNeverGoesBelowOneReplica() {
        // idle: ceil(3 x 0 / 0.6) = 0, raised to the minimum 1 (no earlier recommendation holds it up)
        assertThat(replicas(hpa(), hpaTick(0, 0.0, 3))).isEqualTo(1);
        ReactiveHpaPolicy p = hpa();
        assertThat(replicas(p, at(0, 15, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isEqualTo(1);
    }

    // ---- Knative KPA: container concurrency = max batch 10, 70 % target -> 7 per replica; 2 s ticks ----

    static ReactiveKnativePolicy kpa() {
        return new ReactiveKnativePolicy(ReactiveKnativePolicy.Params.DEFAULTS, context(Optional.empty()));
    }

    static Observation kpaTick(double t, double concurrency, long arrivals, int ready) {
        return at(t, 2, model(M, arrivals, 0, 0, concurrency, 0.5, ready, 0));
    }

    @Test
    void kpaPanicsOnABurstAndDoesNotScaleDownWhilePanicking() {
        ReactiveKnativePolicy p = kpa();
        // steady: concurrency 14 over 2 ready -> 14 / 7 = 2 in both windows
        for (int t = 0; t <= 58; t += 2) assertThat(replicas(p, kpaTick(t, 14, 10, 2))).as("t=%d", t).isEqualTo(2);
        // t = 60: concurrency 70. The 6 s panic window holds the ticks ending after 54 (56, 58, 60):
        // (14 + 14 + 70) / 3 = 32.67 -> ceil(32.67 / 7) = 5, and 5 >= 200 % of 2 ready: panic
        assertThat(replicas(p, kpaTick(60, 70, 50, 2))).isEqualTo(5);
        // t = 62: (14 + 70 + 70) / 3 = 51.3 -> 8; t = 64: 70 / 7 = 10 (each still >= 2 x 2 ready: panic extended to 124)
        assertThat(replicas(p, kpaTick(62, 70, 50, 2))).isEqualTo(8);
        assertThat(replicas(p, kpaTick(64, 70, 50, 2))).isEqualTo(10);
        // the burst stops; 10 ready. Panic demand falls (7, 4, 0 ...), but no scale-down while panicking
        for (int t = 66; t <= 122; t += 2) assertThat(replicas(p, kpaTick(t, 0, 0, 10))).as("t=%d", t).isEqualTo(10);
        // t = 124 = last panic trigger (64) + 60 s: stable mode. Stable demand 0, but scale-down is at most
        // halving (max-scale-down-rate 2), as Knative's floor(ready / 2): 10 -> 5 -> floor(2.5) = 2 -> 1 -> floor(0.5) = 0,
        // and not to zero before the last traffic + 60 + 30 grace = 154: held at 1
        assertThat(replicas(p, kpaTick(124, 0, 0, 10))).isEqualTo(5);
        assertThat(replicas(p, kpaTick(126, 0, 0, 5))).isEqualTo(2);
        assertThat(replicas(p, kpaTick(128, 0, 0, 2))).isEqualTo(1);
        for (int t = 130; t <= 152; t += 2) assertThat(replicas(p, kpaTick(t, 0, 0, 1))).as("t=%d", t).isEqualTo(1);
        assertThat(replicas(p, kpaTick(154, 0, 0, 1))).isEqualTo(0);
    }

    @Test
    void kpaPanickingProvisionsForTheStableWindowWhenItIsTheLarger() {
        ReactiveKnativePolicy p = kpa();
        // 10 ready under concurrency 70 (70 / 7 = 10 in both windows), then it falls to 21 from t = 60
        for (int t = 0; t <= 58; t += 2) assertThat(replicas(p, kpaTick(t, 70, 50, 10))).as("t=%d", t).isEqualTo(10);
        // t = 60, 62: the panic window (70 + 70 + 21) / 3 = 53.7 -> 8, (70 + 21 + 21) / 3 = 37.3 -> 6, under 2 x 10 ready;
        // the stable window (2..60] (29 x 70 + 21) / 30 = 68.4 -> ceil(9.8) = 10, then (28 x 70 + 2 x 21) / 30 = 66.7 -> 10
        assertThat(replicas(p, kpaTick(60, 21, 15, 10))).isEqualTo(10);
        assertThat(replicas(p, kpaTick(62, 21, 15, 10))).isEqualTo(10);
        // t = 64: nine of the ten replicas are lost; the panic window holds 21 -> 3, and 3 >= 200 % of 1 ready: panic.
        // The stable window (27 x 70 + 3 x 21) / 30 = 65.1 -> ceil(9.3) = 10 is the larger, and Knative provisions
        // for it (panic took the panic window's 3 alone)
        assertThat(replicas(p, kpaTick(64, 21, 15, 1))).isEqualTo(10);
    }

    @Test
    void kpaPanicsBeforeAnyReplicaIsReadyAsKnativeCountsZeroReadyAsOne() {
        ReactiveKnativePolicy p = kpa();
        // a cold start: one replica loading, concurrency 21 -> 3 in both windows; 3 / max(1, 0 ready) >= 2: panic
        for (int t = 0; t <= 4; t += 2) assertThat(replicas(p, at(t, 2, model(M, 10, 21, 0, 21, Double.NaN, 0, 3)))).isEqualTo(3);
        // the queue drains to nothing: stable (3 x 21 + 2 x 0) / 5 = 12.6 -> 2, but no scale-down while panicking (until 64)
        for (int t = 6; t <= 8; t += 2) assertThat(replicas(p, at(t, 2, model(M, 0, 0, 0, 0, Double.NaN, 0, 3)))).isEqualTo(3);
    }

    @Test
    void kpaScalesToZeroOnlyAfterTheStableWindowPlusGraceWithoutTraffic() {
        ReactiveKnativePolicy p = kpa();
        assertThat(p.scalesFromZeroOnArrival()).isTrue();
        // never any traffic: 60 s stable window + 30 s grace from the first tick
        for (int t = 0; t <= 88; t += 2) assertThat(replicas(p, kpaTick(t, 0, 0, 1))).as("t=%d", t).isEqualTo(1);
        assertThat(replicas(p, kpaTick(90, 0, 0, 1))).isEqualTo(0);
        // scale-to-zero off: never below one
        var keep = new ReactiveKnativePolicy(new ReactiveKnativePolicy.Params(0, 0.7, Duration.ofSeconds(60), 10, 200, 2,
                Duration.ofSeconds(30), Duration.ofSeconds(2), false), context(Optional.empty()));
        for (int t = 0; t <= 200; t += 2) assertThat(replicas(keep, kpaTick(t, 0, 0, 1))).isEqualTo(1);
        assertThat(keep.scalesFromZeroOnArrival()).isFalse();
    }

    // ---- Ray Serve: target 2 ongoing, 30 s look-back, 10 s metrics, 30 s upscale / 600 s downscale delay ----

    static Observation rayTick(double t, double ongoing, int ready) {
        return at(t, 10, model(M, 10, 0, 0, ongoing, 0.5, ready, 0));
    }

    @Test
    void rayServeWaitsTheUpscaleAndDownscaleDelays() {
        var p = new ReactiveRayServePolicy(ReactiveRayServePolicy.Params.DEFAULTS, context(Optional.empty()));
        for (int t = 0; t <= 90; t += 10) assertThat(replicas(p, rayTick(t, 2, 1))).isEqualTo(1); // 2 / 2 = 1
        // t = 100: look-back (80, 90, 100] = (2 + 2 + 8) / 3 = 4 -> wants 2; asked first at 100
        assertThat(replicas(p, rayTick(100, 8, 1))).isEqualTo(1);
        assertThat(replicas(p, rayTick(110, 8, 1))).isEqualTo(1); // wants 3, 10 s < 30 s
        assertThat(replicas(p, rayTick(120, 8, 1))).isEqualTo(1); // wants 4, 20 s
        assertThat(replicas(p, rayTick(130, 8, 1))).isEqualTo(4); // 30 s: applied
        assertThat(replicas(p, rayTick(140, 8, 4))).isEqualTo(4);
        // load stops at 150: wants fewer from 150 on; held for 600 s
        for (int t = 150; t < 750; t += 10) assertThat(replicas(p, rayTick(t, 0, 4))).as("t=%d", t).isEqualTo(4);
        assertThat(replicas(p, rayTick(750, 0, 4))).isEqualTo(1); // min replicas 1
    }

    @Test
    void rayServeStartsFromZeroWithoutDelay() {
        var p = new ReactiveRayServePolicy(new ReactiveRayServePolicy.Params(2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(600), 1, 1, 0), context(Optional.empty()));
        assertThat(p.scalesFromZeroOnArrival()).isTrue();
        // no replica running and requests waiting: Ray starts ceil(1 x upscaling factor 1) = 1 at once, not the
        // ceil(6 / 2) = 3 the ratio would give (no running replica reports ongoing requests)
        assertThat(replicas(p, rayTick(0, 6, 0))).isEqualTo(1);
        // while it loads (0 running, 1 starting) the target holds, whatever the queue: no delay counting either
        for (int t = 10; t <= 60; t += 10) assertThat(replicas(p, at(t, 10, model(M, 10, 12, 0, 12, Double.NaN, 0, 1)))).as("t=%d", t).isEqualTo(1);
        // running: (12 + 12 + 12) / 3 / 2 = 6 wanted from t = 70 (the delay starts there), applied 30 s later
        assertThat(replicas(p, rayTick(70, 12, 1))).isEqualTo(1);
        assertThat(replicas(p, rayTick(100, 12, 1))).isEqualTo(6);
    }

    @Test
    void rayServeSmoothingNeverLeavesADownscaleStuck() {
        // downscaling factor 0.1, no delays: 4 running, ongoing 5.8 -> raw 2.9 replicas; smoothed
        // ceil(4 - 0.1 x (4 - 2.9)) = ceil(3.89) = 4 = running, while ceil(2.9) = 3 < 4: Ray takes one fewer, 3
        var p = new ReactiveRayServePolicy(new ReactiveRayServePolicy.Params(2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ZERO, Duration.ZERO, 1, 0.1, 1), context(Optional.empty()));
        assertThat(replicas(p, rayTick(0, 5.8, 4))).isEqualTo(3);
        // the factor scales the distance from the running replicas, not from those still starting: 2 running + 2
        // starting, ongoing 12 -> raw 6; upscaling factor 0.5: ceil(2 + 0.5 x (6 - 2)) = 4 = the target, no change
        var up = new ReactiveRayServePolicy(new ReactiveRayServePolicy.Params(2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ZERO, Duration.ZERO, 0.5, 1, 1), context(Optional.empty()));
        assertThat(replicas(up, at(0, 10, model(M, 10, 0, 0, 12, 0.5, 2, 2)))).isEqualTo(4);
    }

    @Test
    void rayServeIdleAtZeroStaysAtZero() {
        var p = new ReactiveRayServePolicy(new ReactiveRayServePolicy.Params(2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(600), 1, 1, 0), context(Optional.empty()));
        assertThat(replicas(p, at(0, 10, model(M, 0, 0, 0, 0, Double.NaN, 0, 0)))).isEqualTo(0);
    }

    // ---- keep-alive ----

    @Test
    void fixedKeepAliveExpiresExactlyAfterTheWindow() {
        var p = new KeepAliveFixedPolicy(KeepAliveFixedPolicy.Params.DEFAULTS, context(Optional.empty())); // 10 min
        assertThat(replicas(p, at(0, 5, model(M, 1, 0, 0, 0, 0, 0, 0)))).isEqualTo(1);
        for (int t = 5; t < 600; t += 5) assertThat(replicas(p, at(t, 5, model(M, 0, 0, 0, 0, 0, 1, 0)))).isEqualTo(1);
        assertThat(replicas(p, at(600, 5, model(M, 0, 0, 0, 0, 0, 1, 0)))).isEqualTo(0);
        // concurrency: 25 in the system at max batch 10 -> ceil(2.5) = 3 replicas
        assertThat(replicas(p, at(605, 5, model(M, 5, 20, 5, 25, 1, 1, 0)))).isEqualTo(3);
    }

    @Test
    void hybridHistogramKeepsEveryReplicaForItsKeepAliveNotOnlyTheLast() {
        var p = new KeepAliveHybridHistogramPolicy(KeepAliveHybridHistogramPolicy.Params.DEFAULTS, context(Optional.empty()));
        // 25 in the system at max batch 10: ceil(2.5) = 3 replicas
        assertThat(replicas(p, at(0, 5, model(M, 5, 20, 5, 25, 1, 3, 0)))).isEqualTo(3);
        // 5 s later 5 are in the system: one replica is needed, but no idle time has been seen, so the keep-alive
        // is the whole 4 h range and the other two stay (they were dropped at once, to be loaded again on the next rise)
        for (int t = 5; t < 4 * 3600; t += 5) assertThat(replicas(p, at(t, 5, model(M, 5, 0, 5, 5, 1, 3, 0)))).isEqualTo(3);
        // 4 h after they were last needed they go; the one still needed stays
        assertThat(replicas(p, at(4 * 3600, 5, model(M, 5, 0, 5, 5, 1, 3, 0)))).isEqualTo(1);
    }

    @Test
    void hybridHistogramLearnsARegularIdlePatternAndPreWarms() {
        var p = new KeepAliveHybridHistogramPolicy(KeepAliveHybridHistogramPolicy.Params.DEFAULTS, context(Optional.empty()));
        // one request every 30 min, ticks every 5 s: each idle period runs from the tick after the request
        // (T + 5) to the next request (T + 1800): 1795 s, bin 29 of 1-minute bins
        for (int k = 0; k <= 10; k++) {
            double start = 1800.0 * k;
            assertThat(replicas(p, at(start, 5, model(M, 1, 0, 0, 0, 0, 0, 0)))).isEqualTo(1);
            if (k == 10) break;
            for (double t = start + 5; t < start + 1800; t += 5) {
                int r = replicas(p, at(t, 5, model(M, 0, 0, 0, 0, 0, 1, 0)));
                // fewer than 10 idle samples: not representative, fixed keep-alive over the 4 h range
                assertThat(r).as("cycle %d t=%s", k, t).isEqualTo(1);
            }
        }
        // 10 samples in bin 29 (CV of bin counts 15.5 >= 2): pre-warm at 29 min x 0.9 = 1566 s of idle,
        // keep until 30 min x 1.1 = 1980 s of idle. The idle period starts at T10 + 5.
        double idle0 = 18000 + 5;
        assertThat(replicas(p, at(idle0, 5, model(M, 0, 0, 0, 0, 0, 1, 0)))).isEqualTo(0);     // unloaded at once
        for (double t = idle0 + 5; t <= idle0 + 1560; t += 5) replicas(p, at(t, 5, model(M, 0, 0, 0, 0, 0, 0, 0)));
        assertThat(replicas(p, at(idle0 + 1560, 5, model(M, 0, 0, 0, 0, 0, 0, 0)))).isEqualTo(0);
        assertThat(replicas(p, at(idle0 + 1570, 5, model(M, 0, 0, 0, 0, 0, 0, 0)))).isEqualTo(1); // pre-warmed
        // the request does not come: kept until 1980 s of idle, then unloaded
        for (double t = idle0 + 1575; t < idle0 + 1975; t += 5) replicas(p, at(t, 5, model(M, 0, 0, 0, 0, 0, 1, 0)));
        assertThat(replicas(p, at(idle0 + 1975, 5, model(M, 0, 0, 0, 0, 0, 1, 0)))).isEqualTo(1);
        assertThat(replicas(p, at(idle0 + 1980, 5, model(M, 0, 0, 0, 0, 0, 1, 0)))).isEqualTo(0);
    }
}
