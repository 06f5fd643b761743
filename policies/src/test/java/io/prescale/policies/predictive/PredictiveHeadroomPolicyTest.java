package io.prescale.policies.predictive;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.PolicyFixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backlog and anomaly rules of {@code predictive.headroom}, by hand. The fixture model: 40 ms + 10 ms per
 * item, max batch 8 (full-batch capacity 8 / 0.12 s = 66.7 req/s per replica), SLO 500 ms, on a pool that
 * provisions in 180 s; tick 30 s.
 */
class PredictiveHeadroomPolicyTest {

    static ModelSpec withLoad(Duration load) {
        ModelSpec s = PolicyFixtures.spec("m", 8, 1000);
        return new ModelSpec(s.id(), s.pool(), s.needs(), s.profiles(), s.maxBatch(), s.maxQueueDelay(), s.queueCapacity(),
                s.timeout(), s.slo(), s.priority(), load, s.minReplicas(), s.maxReplicas());
    }

    static int target(PredictiveHeadroomPolicy p, ModelSpec spec, double at, long arrivals, int queued, int ready) {
        List<Decision> d = p.decide(PolicyFixtures.at(at, 30, PolicyFixtures.model(spec, arrivals, queued, 0, 0, 0.9, ready, 0)));
        return d.stream().filter(x -> x instanceof Decision.ScaleModel).map(x -> ((Decision.ScaleModel) x).replicas())
                .findFirst().orElseThrow();
    }

    @Test
    void aBacklogNewReplicasCannotReachInTimeIsDrainedNotMatchedWithAFleet() {
        // no forecast: rate = observed 3,000 / 30 s = 100 req/s x 1.2 = 120 req/s; 5,000 requests queued, 4 replicas
        // load 60 s > SLO 0.5 s: replicas started now arrive after the waiting requests have missed; size for
        // 120 + 5,000 / (180 + 60 + 30 s) = 138.5 req/s: 3 replicas (ceil(138.5 / (66.7 x 0.9)) = 3, and Erlang C
        // gives a 63 ms wait + 2 x 80 ms batches + 10 ms batching delay = 233 ms <= 500 ms), below the 4 held:
        // the target stays at 4 during the scale-down delay
        var slow = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, PolicyFixtures.context(Optional.empty()));
        assertThat(target(slow, withLoad(Duration.ofSeconds(60)), 30, 3000, 5000, 4)).isEqualTo(4);
        // load 0.1 s < SLO: replicas started now still serve the queue in time, one per backlogPerReplica (4)
        // batches of 8 waiting: ceil(5,000 / 8 / 4) = 157
        var fast = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, PolicyFixtures.context(Optional.empty()));
        assertThat(target(fast, withLoad(Duration.ofMillis(100)), 30, 3000, 5000, 4)).isEqualTo(157);
    }

    @Test
    void aReplicaLoadingWithinTheSlowdownBoundStillServesTheBacklogInTime() {
        // SLO 500 ms or 40 x the 50 ms service = 2 s, whichever is larger: a request is judged against 2 s (as the
        // simulator judges it), so a replica loading in 1 s serves the queue in time: ceil(5,000 / 8 / 4) = 157,
        // where judged against the bare 500 ms it was sized to drain over the lead time and held at 4
        ModelSpec s = withLoad(Duration.ofSeconds(1));
        ModelSpec longJobs = new ModelSpec(s.id(), s.pool(), s.needs(), s.profiles(), s.maxBatch(), s.maxQueueDelay(), s.queueCapacity(),
                s.timeout(), new io.prescale.core.model.Slo(Duration.ofMillis(500), 40, 0.99), s.priority(), s.loadTime(),
                s.minReplicas(), s.maxReplicas());
        var p = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, PolicyFixtures.context(Optional.empty()));
        assertThat(target(p, longJobs, 30, 3000, 5000, 4)).isEqualTo(157);
    }

    /** A context whose forecaster always says {@code p50} (as mean and median) and {@code p90} (as P90 and P95), per 10 minutes. */
    static PolicyContext forecasting(double[] p50, double[] p90) {
        Forecaster fixed = new Forecaster() {
            @Override public String id() { return "fixed"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String series, Instant intervalStart, double count) { }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) {
                return new Forecast(series, now, Duration.ofMinutes(10), p50, p50, p90, p90);
            }
        };
        return new PolicyContext(InstantSource.fixed(PolicyFixtures.T0), new SplittableRandom(7), fixed,
                new CostModel(Map.of("gpu", 2.0), 0), Optional.empty());
    }

    @Test
    void aModelTheForecasterHasNeverSeenIsSizedOnTheObservedRateNotTheColdStartGuess() {
        // the forecaster's answer for a series it has never observed: the cold-start guess, zero at P50 and 1.28
        // requests per 10 min at P90 (0.0021 req/s: 0.58 requests over the 270 s horizon >= 0.5 -> 1 replica).
        // The model gets 5,400 requests per 30 s tick (180 req/s): sized on observed x 1.2 = 216 req/s, ceil(216 / 60)
        // = 4 replicas (utilisation 0.81; steady batch 5, 2 x 90 ms + Erlang C wait 0.08 s + 10 ms = 0.27 s <= 0.5 s),
        // at every tick (1 replica held, so no scale-down delay hides the target); from the 4th tick the anchored level
        // would need a growth, which the cold-start P50 of 0 cannot give
        Forecaster unseen = new Forecaster() {
            @Override public String id() { return "cold"; }
            @Override public Duration interval() { return Duration.ofMinutes(10); }
            @Override public void observe(String series, Instant intervalStart, double count) { }
            @Override public boolean knows(String series) { return false; }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) {
                return new Forecast(series, now, Duration.ofMinutes(10), new double[]{0}, new double[]{0}, new double[]{1.28}, new double[]{1.28});
            }
        };
        var p = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, new PolicyContext(InstantSource.fixed(PolicyFixtures.T0),
                new SplittableRandom(7), unseen, new CostModel(Map.of("gpu", 2.0), 0), Optional.empty()));
        ModelSpec spec = withLoad(Duration.ofSeconds(60));
        assertThat(io.prescale.policies.sizing.ReplicaSizer.replicas(216, spec, 0.9)).isEqualTo(4);
        for (int tick = 1; tick <= 6; tick++) assertThat(target(p, spec, 30.0 * tick, 5_400, 0, 1)).as("tick %d", tick).isEqualTo(4);
        // before any traffic the cold-start guess still holds its one replica (a run starting from nothing starts warm)
        var quiet = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, new PolicyContext(InstantSource.fixed(PolicyFixtures.T0),
                new SplittableRandom(7), unseen, new CostModel(Map.of("gpu", 2.0), 0), Optional.empty()));
        assertThat(target(quiet, spec, 0, 0, 0, 0)).isEqualTo(1);
    }

    /** The target after four ticks of 3,000 requests (100 req/s) at {@code quantile}, anchoring on or off, no feedback. */
    static int afterFourTicks(double quantile, boolean anchor) {
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        var params = new PredictiveHeadroomPolicy.Params(quantile, d.maxUtilization(), d.scaleDownDelay(), d.tick(), false,
                d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), anchor, d.anchorSafety(), d.zeroBelowExpected(),
                0, d.backlogPerReplica(), Duration.ZERO, false, Duration.ZERO, d.anomalyHold(), 0);
        var p = new PredictiveHeadroomPolicy(params, forecasting(new double[]{60_000, 60_000}, new double[]{90_000, 90_000}));
        int last = -1;
        for (int tick = 1; tick <= 4; tick++) last = target(p, withLoad(Duration.ofSeconds(60)), 30.0 * tick, 3_000, 0, 0);
        return last;
    }

    @Test
    void onDenseTrafficTheAnchoredLevelNotTheQuantileSetsTheTarget() {
        // the forecast: 60,000 per 10 min at P50 (100 req/s), 90,000 at P90 (150 req/s); growth 1 (the lower band
        // 2 x 60,000 - 90,000 is below the first median). From the 4th tick the 2-min window holds 12,000 requests:
        // anchored, 100 req/s x 1.1 = 110 req/s -> 2 replicas (utilisation 0.83; batch 5, 2 x 90 ms + Erlang C wait
        // ln(0.746 / 0.01) / (133.3 - 110) = 0.19 s + 10 ms = 0.38 s <= 0.5 s) at either quantile.
        assertThat(afterFourTicks(0.5, true)).isEqualTo(2);
        assertThat(afterFourTicks(0.9, true)).isEqualTo(2);
        // anchoring off: the quantile itself, P50 100 req/s -> ceil(100 / 60) = 2, P90 150 req/s -> ceil(2.5) = 3
        assertThat(afterFourTicks(0.5, false)).isEqualTo(2);
        assertThat(afterFourTicks(0.9, false)).isEqualTo(3);
    }

    @Test
    void aForecastFoundAnomalousLendsNeitherItsLevelNorItsShape() {
        // the forecast says 12,000 then 120,000 requests per 10 min at P90 (200 req/s, and a 10x jump at P50);
        // demand measured over the 2-min anomaly window is 300 per 30 s = 10 req/s, under 0.1 x 200: anomalous.
        // Trusting the observed rate: 10 x 1.2 = 12 req/s -> 1 replica. Anchoring on the level with the
        // forecast's 10x growth would have asked for ceil(10 x 10 x 1.1 / 60) = 2 or more.
        PolicyContext ctx = forecasting(new double[]{600, 6000}, new double[]{12000, 120000});
        var p = new PredictiveHeadroomPolicy(PredictiveHeadroomPolicy.Params.DEFAULTS, ctx);
        ModelSpec spec = withLoad(Duration.ofSeconds(60));
        int last = -1;
        for (int tick = 1; tick <= 5; tick++) last = target(p, spec, 30.0 * tick, 300, 0, 1);
        assertThat(last).isEqualTo(1);
    }

    @Test
    void aModelGoneSilentAgainstItsForecastKeepsOneReplicaForTheAnomalyHold() {
        // the forecast says a flat 120,000 requests per 10 min (200 req/s) at every quantile; the model gets 6,000
        // per 30 s tick (200 req/s) for four ticks, its last request in the tick ending at 120 s, then none.
        // At 240 s the 2-min anomaly window holds 0 requests against 200 x 120 = 24,000 expected: anomalous, the
        // observed 0 is trusted and the sizing asks for 0. The forecast still expects 200 x (180 + 60 + 30) =
        // 54,000 requests over the horizon (>= 1), so with anomalyHold one replica stays until 120 s + 1 h
        PolicyContext ctx = forecasting(new double[]{120_000, 120_000}, new double[]{120_000, 120_000});
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        java.util.function.Function<Duration, PredictiveHeadroomPolicy> withHold = hold -> new PredictiveHeadroomPolicy(
                new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), Duration.ZERO, d.tick(), false,
                        d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(),
                        d.zeroBelowExpected(), 0, d.backlogPerReplica(), Duration.ZERO, false, Duration.ZERO, hold, 0), ctx);
        ModelSpec spec = withLoad(Duration.ofSeconds(60));
        var held = withHold.apply(Duration.ofHours(1));
        var dropped = withHold.apply(Duration.ZERO);
        for (int tick = 1; tick <= 4; tick++) {
            assertThat(target(held, spec, 30.0 * tick, 6_000, 0, 4)).isPositive();
            target(dropped, spec, 30.0 * tick, 6_000, 0, 4);
        }
        for (int tick = 5; tick <= 7; tick++) {
            target(held, spec, 30.0 * tick, 0, 0, 4);
            target(dropped, spec, 30.0 * tick, 0, 0, 4);
        }
        assertThat(target(dropped, spec, 240, 0, 0, 4)).isZero();
        assertThat(target(held, spec, 240, 0, 0, 4)).isEqualTo(1);
        // ticking on (the anomaly window needs every tick): held through 120 s + 1 h, then let go
        int last = -1;
        for (int tick = 9; tick <= (120 + 3600) / 30; tick++) last = target(held, spec, 30.0 * tick, 0, 0, 1);
        assertThat(last).isEqualTo(1);
        assertThat(target(held, spec, 120 + 3630, 0, 0, 1)).isZero();
    }

    @Test
    void whileABurstLastsAModelHoldsWhatItsRateWhileActiveAsksFor() {
        // long jobs: 20 s each, batch 1, SLO 60 s (99 %); zeroBelowExpected 1,000 so the forecast rule alone holds 0
        ModelSpec s0 = PolicyFixtures.spec("m", 1, 100);
        ModelSpec spec = new ModelSpec(s0.id(), s0.pool(), s0.needs(), Map.of("gpu", io.prescale.core.model.LatencyProfile.linear(20, 0)),
                1, Duration.ZERO, 100, Duration.ofSeconds(600), new io.prescale.core.model.Slo(Duration.ofSeconds(60), 0, 0.99),
                s0.priority(), Duration.ofSeconds(10), 0, 100);
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        var withBursts = new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), Duration.ZERO, d.tick(), false,
                d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(), 1000, 0,
                d.backlogPerReplica(), Duration.ofMinutes(10), false, Duration.ZERO, d.anomalyHold(), 0);
        var p = new PredictiveHeadroomPolicy(withBursts, PolicyFixtures.context(Optional.empty()));
        var off = new PredictiveHeadroomPolicy(new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), Duration.ZERO,
                d.tick(), false, d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(),
                1000, 0, d.backlogPerReplica(), Duration.ZERO, false, Duration.ZERO, d.anomalyHold(), 0), PolicyFixtures.context(Optional.empty()));
        long[] arrivals = {2, 1, 0, 1};
        int burst = -1, plain = -1;
        for (int i = 0; i < arrivals.length; i++) {
            burst = target(p, spec, 30.0 * (i + 1), arrivals[i], 0, 1);
            plain = target(off, spec, 30.0 * (i + 1), arrivals[i], 0, 1);
        }
        // active all four ticks: 4 requests / 120 s = 1/30 req/s, a = 20/30 = 0.667 Erlang. Erlang C: n = 1 waits
        // ln(0.667/0.01)/(0.05 - 0.033) = 252 s; n = 2: C = 0.167, ln(16.7)/0.0667 = 42 s + 20 s = 62 s > 60 s;
        // n = 3: C = 0.0325, ln(3.25)/0.1167 = 10 s + 20 s = 30 s <= 60 s -> 3 replicas, where the plain rule holds 0
        assertThat(burst).isEqualTo(3);
        assertThat(plain).isZero();
        // ten minutes without a request end the burst: back to the forecast's 0
        assertThat(target(p, spec, 120 + 600 + 30, 0, 0, 3)).isZero();
    }

    @Test
    void keepAliveHoldsOneReplicaForTheWindowAfterTheLastRequest() {
        // zeroBelowExpected 1,000: the forecast rule alone holds nothing; no scale-down delay
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        var keep = new PredictiveHeadroomPolicy(new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), Duration.ZERO,
                d.tick(), false, d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(),
                1000, 0, d.backlogPerReplica(), Duration.ZERO, false, Duration.ofMinutes(10), d.anomalyHold(), 0), PolicyFixtures.context(Optional.empty()));
        ModelSpec spec = PolicyFixtures.spec("m", 8, 100);
        assertThat(target(keep, spec, 30, 0, 0, 0)).isZero();          // never seen a request: nothing to keep
        assertThat(target(keep, spec, 60, 3, 0, 0)).isEqualTo(1);       // a request at 60 s
        assertThat(target(keep, spec, 60 + 600, 0, 0, 1)).isEqualTo(1); // 10 min after it: still kept
        assertThat(target(keep, spec, 60 + 630, 0, 0, 1)).isZero();     // the window has passed
        assertThat(PredictiveHeadroomPolicy.Params.DEFAULTS.keepAlive()).isZero(); // off unless asked for
    }

    @Test
    void spareNodesCountAWholeGpuPerReplicaUnderMigWhenItsSliceFillsTheGpu() {
        // the fixture model needs half a GPU's compute and 10 GB: under MIG a 4g.40gb slice, one per GPU; under MPS half a GPU
        var m = PolicyFixtures.model(PolicyFixtures.spec("m", 8, 100), 0, 0, 0, 0, 0, 1, 0);
        assertThat(PredictiveHeadroomPolicy.sharePerReplica(m, PolicyFixtures.POOL.withSharing(io.prescale.core.resource.SharingMode.MIG)))
                .isEqualTo(1.0);
        assertThat(PredictiveHeadroomPolicy.sharePerReplica(m, PolicyFixtures.POOL.withSharing(io.prescale.core.resource.SharingMode.MPS)))
                .isEqualTo(0.5);
        assertThat(PredictiveHeadroomPolicy.sharePerReplica(m, PolicyFixtures.POOL)).isEqualTo(1.0);
    }

    @Test
    void spareNodesCountAReplicaByItsMemoryUnderTimeSlicingAsTheSimulatorPacksIt() {
        // time slicing packs by memory alone: 10 of 80 GB is 1/8 of a GPU, eight replicas to a GPU, whatever
        // their compute share (0.5 here, which would count two to a GPU)
        var m = PolicyFixtures.model(PolicyFixtures.spec("m", 8, 100), 0, 0, 0, 0, 0, 1, 0);
        assertThat(PredictiveHeadroomPolicy.sharePerReplica(m, PolicyFixtures.POOL.withSharing(io.prescale.core.resource.SharingMode.TIME_SLICED)))
                .isEqualTo(0.125);
    }

    /** The pool size asked for with two spare nodes, the model holding 4 replicas and the pool {@code inUse} nodes occupied. */
    static int[] spareDecision(int inUse, int arrivalsPerTick) {
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        var params = new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), d.scaleDownDelay(), d.tick(), false,
                d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(), d.zeroBelowExpected(),
                2, d.backlogPerReplica(), Duration.ZERO, false, Duration.ZERO, d.anomalyHold(), 0);
        var p = new PredictiveHeadroomPolicy(params, PolicyFixtures.context(Optional.empty()));
        var mps = PolicyFixtures.POOL.withSharing(io.prescale.core.resource.SharingMode.MPS);
        var m = PolicyFixtures.model(PolicyFixtures.spec("m", 8, 100), arrivalsPerTick, 0, 0, 0, 0.5, 4, 0);
        var obs = new io.prescale.core.policy.Observation(PolicyFixtures.T0, Duration.ofSeconds(30), List.of(m),
                List.of(new io.prescale.core.policy.PoolObservation(mps, 3, 0, 0, 0, 6.0, inUse)));
        List<Decision> out = p.decide(obs);
        int replicas = out.stream().filter(x -> x instanceof Decision.ScaleModel).map(x -> ((Decision.ScaleModel) x).replicas()).findFirst().orElseThrow();
        int nodes = out.stream().filter(x -> x instanceof Decision.ResizePool).map(x -> ((Decision.ResizePool) x).nodes()).findFirst().orElseThrow();
        return new int[]{replicas, nodes};
    }

    @Test
    void spareNodesComeOnTopOfTheNodesTheReplicasOccupyWhenPackedTighterThanTheirShares() {
        // the fixture model takes half a GPU under MPS. Packed by shares, R replicas need ceil(R / 2) nodes
        int[] byShares = spareDecision(2, 3_000);
        assertThat(byShares[1]).isEqualTo((int) Math.ceil(byShares[0] * 0.5) + 2);
        // a load-aware packer put the 4 replicas on 1 GPU: the occupied node plus half a node per replica added
        // (none, or a few, at this rate), plus the 2 spares, whichever is lower than the shares' count
        int[] packed = spareDecision(1, 3_000);
        assertThat(packed[0]).isEqualTo(byShares[0]);
        int added = Math.max(0, packed[0] - 4);
        assertThat(packed[1]).isEqualTo((int) Math.ceil(Math.min(packed[0] * 0.5, 1 + added * 0.5)) + 2);
        assertThat(packed[1]).isLessThan(byShares[1]);
    }

    @Test
    void spareNodesFollowThePoolsRequestsOverTheLastHour() {
        // at most 2 spares, one per 20 requests over the last hour: 0 requests -> 0, 5 -> ceil(5 / 20) = 1,
        // 5 + 30 = 35 -> ceil(1.75) = 2; an hour after those ticks, none. Against the same policy with 2 fixed
        // spares on the same observations (same replicas), the pool asked for differs by 2 - spares
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        java.util.function.DoubleFunction<PredictiveHeadroomPolicy> policy = perNode -> new PredictiveHeadroomPolicy(
                new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), d.scaleDownDelay(), d.tick(), false,
                        d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(),
                        d.zeroBelowExpected(), 2, d.backlogPerReplica(), Duration.ZERO, false, Duration.ZERO, d.anomalyHold(), perNode),
                PolicyFixtures.context(Optional.empty()));
        var following = policy.apply(20);
        var fixed = policy.apply(0);
        var mps = PolicyFixtures.POOL.withSharing(io.prescale.core.resource.SharingMode.MPS);
        java.util.function.BiFunction<Double, Long, int[]> tick = (at, arrivals) -> {
            var m = PolicyFixtures.model(PolicyFixtures.spec("m", 8, 100), arrivals, 0, 0, 0, 0.5, 1, 0);
            var obs = new io.prescale.core.policy.Observation(PolicyFixtures.T0.plusMillis((long) (at * 1000)), Duration.ofSeconds(30),
                    List.of(m), List.of(new io.prescale.core.policy.PoolObservation(mps, 3, 0, 0, 0, 6.0, 1)));
            return new int[]{nodes(following.decide(obs)), nodes(fixed.decide(obs))};
        };
        int[] quiet = tick.apply(30.0, 0L);
        assertThat(quiet[1] - quiet[0]).isEqualTo(2);
        int[] few = tick.apply(60.0, 5L);
        assertThat(few[1] - few[0]).isEqualTo(1);
        int[] busy = tick.apply(90.0, 30L);
        assertThat(busy[1] - busy[0]).isZero();
        int[] hourLater = tick.apply(90.0 + 3600, 0L);
        assertThat(hourLater[1] - hourLater[0]).isEqualTo(2);
    }

    static int nodes(List<Decision> out) {
        return out.stream().filter(x -> x instanceof Decision.ResizePool).map(x -> ((Decision.ResizePool) x).nodes()).findFirst().orElseThrow();
    }

    /** Steady 1,000 req/s, no forecast (observed x 1.2 is sized); each tick reports the SLO attainment {@code slo}. */
    static int afterTicks(boolean feedback, double slo, int ticks) {
        var d = PredictiveHeadroomPolicy.Params.DEFAULTS;
        var params = new PredictiveHeadroomPolicy.Params(d.quantile(), d.maxUtilization(), d.scaleDownDelay(), d.tick(), false,
                d.reactiveHeadroom(), d.anomalyWindow(), d.anomalyRatio(), d.anchorToObserved(), d.anchorSafety(), d.zeroBelowExpected(),
                0, d.backlogPerReplica(), Duration.ZERO, feedback, Duration.ZERO, d.anomalyHold(), 0);
        var p = new PredictiveHeadroomPolicy(params, PolicyFixtures.context(Optional.empty()));
        ModelSpec spec = withLoad(Duration.ofSeconds(60));
        int last = -1;
        for (int tick = 1; tick <= ticks; tick++) {
            // no replicas held, so the scale-down delay never holds the target: each tick shows the sizing itself
            var m = new io.prescale.core.policy.ModelObservation(spec, 30_000, 0, 0, 0, 0.9, Double.NaN, slo, 0, 0, 0, 0, false);
            last = p.decide(PolicyFixtures.at(30.0 * tick, 30, m)).stream().filter(x -> x instanceof Decision.ScaleModel)
                    .map(x -> ((Decision.ScaleModel) x).replicas()).findFirst().orElseThrow();
        }
        return last;
    }

    @Test
    void sloFeedbackGivesBackCapacityWhileTheSloHasRoomAndAddsItOnAMiss() {
        int fixed = afterTicks(false, 1.0, 40);
        assertThat(afterTicks(false, 0.5, 40)).isEqualTo(fixed); // without feedback the SLO outcome changes nothing
        // 40 ticks all met: the factor falls 0.99 per tick from the first full window to its 0.8 floor
        int relaxed = afterTicks(true, 1.0, 40);
        assertThat(relaxed).isLessThan(fixed).isGreaterThanOrEqualTo((int) Math.floor(0.8 * fixed));
        // 40 ticks at 50 %: it grows 1.05 per tick to its 1.5 ceiling
        int boosted = afterTicks(true, 0.5, 40);
        assertThat(boosted).isGreaterThan(fixed).isLessThanOrEqualTo((int) Math.ceil(1.5 * fixed) + 1);
    }
}
