package io.prescale.live;

import io.prescale.core.config.PolicyFile;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.live.loop.PolicyFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A policy that throws does not stop the control loop: a periodic task that lets anything escape is cancelled by its
 * executor for good, silently, and the runner went on serving with no policy ticking and nothing in its log.
 */
class ThrowingPolicyTest {
    @TempDir
    Path dir;

    /** Keeps the periodic task it is given, for the test to run by hand; schedules nothing of it. */
    static final class CapturingScheduler extends ScheduledThreadPoolExecutor {
        Runnable periodic;

        CapturingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            periodic = command;
            return schedule(() -> { }, 1, TimeUnit.DAYS);
        }
    }

    /** "test.throwing": its first decision throws {@code AssertionError} (a policy's own bug), later ones decide nothing. */
    static final class Throwing implements PolicyFactory {
        final AtomicInteger decisions = new AtomicInteger();

        @Override public Set<String> ids() { return Set.of("test.throwing"); }
        @Override public Map<String, Object> defaults(String id) { return Map.of(); }
        @Override public boolean needsOracle(String id) { return false; }
        @Override public Policy create(String id, Map<String, Object> params, PolicyContext context) {
            return new Policy() {
                @Override public String id() { return "test.throwing"; }
                @Override public List<Decision> decide(Observation o) {
                    if (decisions.incrementAndGet() == 1) throw new AssertionError("a policy's own check failed");
                    return List.of();
                }
                @Override public Duration controlInterval() { return Duration.ofSeconds(10); }
            };
        }
    }

    @Test
    void aPolicyThatThrowsAnErrorDoesNotEndTheTicking() {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        Throwing policies = new Throwing();
        ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
        CapturingScheduler scheduler = new CapturingScheduler();
        try (LiveRuntime runtime = LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.04, policies, id -> Forecaster.none(), clock))) {
            runtime.control().startTicking(scheduler);
            runtime.activate(new PolicyFile(PolicyFile.SCHEMA, "thrower", "test.throwing", Map.of(), null));
            assertThat(scheduler.periodic).as("the tick is scheduled").isNotNull();
            clock.advance(Duration.ofSeconds(10));
            assertThatCode(scheduler.periodic::run).as("the failed tick is logged, not thrown to the executor").doesNotThrowAnyException();
            clock.advance(Duration.ofSeconds(10));
            scheduler.periodic.run();
            assertThat(policies.decisions).hasValue(2);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
