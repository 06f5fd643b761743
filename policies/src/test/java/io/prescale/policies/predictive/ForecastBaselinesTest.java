package io.prescale.policies.predictive;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.PolicyFixtures;
import io.prescale.policies.sizing.ReplicaSizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two forecast baselines, {@code predictive.aws-style} and {@code predictive.sageserve-style}, tick by tick. The
 * fixture model: 40 ms + 10 ms per item, max batch 8 (8 / 0.12 s = 66.7 req/s per replica at full batches), SLO
 * 500 ms, 60 s load on a pool that provisions in 180 s. Both size at 0.8 utilisation (53.3 req/s a replica):
 * 10 req/s takes 1 replica; 200 req/s takes ceil(200 / 53.3) = 4 (utilisation 0.75; batch 4, 2 x 80 ms + Erlang C
 * wait ln(C(4, 3) / 0.01) / (266.7 - 200) = 0.06 s + 10 ms = 0.23 s <= 0.5 s).
 */
class ForecastBaselinesTest {

    static final ModelSpec SPEC = PolicyFixtures.spec("m", 8, 100);
    static final long SLOT = 600; // the forecaster's 10-minute steps

    /** A forecaster whose mean and every quantile for the 10-minute slot {@code k} after T0 is {@code perSlot(k)} requests. */
    static PolicyContext forecasting(LongToDoubleFunction perSlot) {
        Forecaster f = new Forecaster() {
            @Override public String id() { return "scripted"; }
            @Override public Duration interval() { return Duration.ofSeconds(SLOT); }
            @Override public void observe(String series, Instant intervalStart, double count) { }
            @Override public Forecast forecast(String series, Instant now, Duration horizon) {
                long from = Math.floorDiv(Duration.between(PolicyFixtures.T0, now).toSeconds(), SLOT);
                long to = Math.floorDiv(Duration.between(PolicyFixtures.T0, now.plus(horizon)).toSeconds() - 1, SLOT);
                double[] v = new double[(int) (to - from + 1)];
                for (int i = 0; i < v.length; i++) v[i] = perSlot.applyAsDouble(from + i);
                return new Forecast(series, PolicyFixtures.T0.plusSeconds(from * SLOT), Duration.ofSeconds(SLOT), v, v, v, v);
            }
        };
        return new PolicyContext(InstantSource.fixed(PolicyFixtures.T0), new SplittableRandom(7), f,
                new CostModel(Map.of("gpu", 2.0), 0), Optional.empty());
    }

    /** The target at {@code seconds} after T0 (60 s ticks), with {@code ready} replicas {@code busy} busy and {@code arrivals} in the tick. */
    static int target(Policy p, double seconds, long arrivals, double busy, int ready) {
        ModelObservation m = PolicyFixtures.model(SPEC, arrivals, 0, 0, 0, busy, ready, 0);
        return p.decide(PolicyFixtures.at(seconds, 60, m)).stream().filter(x -> x instanceof Decision.ScaleModel)
                .map(x -> ((Decision.ScaleModel) x).replicas()).findFirst().orElseThrow();
    }

    @Test
    void sizingArithmetic() {
        assertThat(ReplicaSizer.replicas(10, SPEC, 0.8)).isEqualTo(1);
        assertThat(ReplicaSizer.replicas(200, SPEC, 0.8)).isEqualTo(4);
    }

    /** Hour 0: 6,000 requests per 10 min (10 req/s); hour 1: 120,000 (200 req/s); hour 2 on: 6,000 again. */
    static double busyHourOne(long slot) {
        return slot >= 6 && slot < 12 ? 120_000 : 6_000;
    }

    @Test
    void awsStyleLaunchesTheNextHoursCapacity300SecondsBeforeTheHour() {
        var aws = new AwsPredictivePolicy(AwsPredictivePolicy.Params.DEFAULTS, forecasting(ForecastBaselinesTest::busyHourOne));
        // one replica, half busy: the dynamic part asks ceil(0.5 x 1 / 0.6) = 1. At 00:54:00 the hour whose capacity
        // must be in place is still hour 0 (00:54 + 300 s = 00:59): its peak, 10 req/s, takes 1 replica
        assertThat(target(aws, 54 * 60, 600, 0.5, 1)).isEqualTo(1);
        // at 00:55:00, 300 s before 01:00, hour 1 (200 req/s) is scheduled: 4 replicas
        assertThat(target(aws, 55 * 60, 600, 0.5, 1)).isEqualTo(4);
    }

    @Test
    void awsStyleNeverScalesInOnTheForecastOnlyOnUtilisation() {
        var aws = new AwsPredictivePolicy(AwsPredictivePolicy.Params.DEFAULTS, forecasting(ForecastBaselinesTest::busyHourOne));
        // hour 1, 4 replicas at 10 % busy: the dynamic part asks ceil(0.1 x 4 / 0.6) = 1, the forecast's 4 holds
        assertThat(target(aws, 70 * 60, 12_000, 0.1, 4)).isEqualTo(4);
        // hour 2: the forecast falls to 10 req/s (1 replica), but the 4 replicas are 60 % busy, the target utilisation:
        // the dynamic part asks ceil(0.6 x 4 / 0.6) = 4, and the fall of the forecast alone scales nothing in
        assertThat(target(aws, 125 * 60, 600, 0.6, 4)).isEqualTo(4);
        // 30 % busy: the dynamic part asks ceil(0.3 x 4 / 0.6) = 2, and scale-in comes from it
        assertThat(target(aws, 126 * 60, 600, 0.3, 4)).isEqualTo(2);
        // 10 % busy a minute later: ceil(0.1 x 2 / 0.6) = 1, but within the 300 s scale-in cool-down: held at 2
        assertThat(target(aws, 127 * 60, 600, 0.1, 2)).isEqualTo(2);
        // after the cool-down (126 min + 300 s): 1
        assertThat(target(aws, 131 * 60, 600, 0.1, 2)).isEqualTo(1);
    }

    @Test
    void awsStyleScalesInNoFurtherThanTheForecastsCapacity() {
        // the forecast keeps 200 req/s all day (4 replicas). 6 replicas, idle: the dynamic part asks 0, scale-in stops at 4;
        // idle at 4, they stay
        var aws = new AwsPredictivePolicy(AwsPredictivePolicy.Params.DEFAULTS, forecasting(k -> 120_000));
        assertThat(target(aws, 60, 0, 0.0, 6)).isEqualTo(4);
        for (int minute = 7; minute <= 20; minute++) assertThat(target(aws, minute * 60, 0, 0.0, 4)).isEqualTo(4);
    }

    @Test
    void sageServeStylePlansOncePerPeriodWithAReactiveSafetyNet() {
        // the forecast says 200 req/s until 00:10, then 10 req/s. Periods of 15 min; the plan reads the P50 peak over
        // the lead time (180 s + 60 s) plus the period
        var sage = new SageServeStylePolicy(SageServeStylePolicy.Params.DEFAULTS, forecasting(k -> k < 1 ? 120_000 : 6_000));
        // 00:01: the period 00:00-00:15 is planned now: the peak over [00:01, 00:20) is 200 req/s -> 4 replicas
        assertThat(target(sage, 60, 600, 0.5, 1)).isEqualTo(4);
        // 00:12: the forecast for [00:12, 00:31) says 10 req/s, but the period's plan holds: 4
        assertThat(target(sage, 12 * 60, 600, 0.5, 4)).isEqualTo(4);
        // 00:15: a new period, re-planned on 10 req/s: 1 replica (observed 600 / 60 s = 10 req/s: 1 too)
        assertThat(target(sage, 15 * 60, 600, 0.5, 4)).isEqualTo(1);
        // 00:16: 12,000 requests in the tick (200 req/s) against a plan of 1: the reactive net sizes the observed 4
        assertThat(target(sage, 16 * 60, 12_000, 0.9, 1)).isEqualTo(4);
        // 00:17: the load gone, the plan's 1 again (no hysteresis of its own)
        assertThat(target(sage, 17 * 60, 600, 0.5, 4)).isEqualTo(1);
    }
}
