package io.prescale.simulator.bench;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.model.ResourceNeeds;
import io.prescale.core.model.Slo;
import io.prescale.core.policy.Decision;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.cluster.ModelServer;
import io.prescale.simulator.cluster.SimulatedCluster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The request path alone: a fixed Poisson stream of {@value #REQUESTS} arrivals (400 req/s) through one
 * model's queue, dynamic batching (max 16, 10 ms delay) and 8 warm replicas. One op = one request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventLoopBenchmark {
    static final int REQUESTS = 1_000_000;
    static final double RATE = 400;

    private final double[] arrivals = new double[REQUESTS];
    private ModelServer server;

    @Setup(Level.Trial)
    public void stream() {
        SplittableRandom r = new SplittableRandom(42);
        double t = 0;
        for (int i = 0; i < REQUESTS; i++) {
            t += -Math.log(1 - r.nextDouble()) / RATE;
            arrivals[i] = t;
        }
    }

    /** A fresh cluster per invocation (not timed): the server's queue and replicas start empty and warm. */
    @Setup(Level.Invocation)
    public void cluster() {
        PoolShape pool = new PoolShape("l4", "L4", 1, 24_000_000_000L, 4, 16_000_000_000L, 0.8, Duration.ZERO,
                SharingMode.EXCLUSIVE, 0, 1000, "bench");
        ModelSpec spec = new ModelSpec("m", "l4", new ResourceNeeds(1, 0, 12_000_000_000L, 0.5, null),
                Map.of("l4", LatencyProfile.linear(0.04, 0.01)), 16, Duration.ofMillis(10), 10_000, Duration.ofSeconds(30),
                new Slo(Duration.ofMillis(500), 0, 0.99), PriorityClass.NORMAL, Duration.ZERO, 0, 100);
        SimulatedCluster c = new SimulatedCluster(Instant.EPOCH, List.of(pool), List.of(spec), SimulatedCluster.Gaps.NONE);
        c.apply(new Decision.ScaleModel("m", 8));
        c.warmStart();
        server = c.server(0);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long arriveAndDispatch() {
        final ModelServer s = server;
        final double[] a = arrivals;
        for (double t : a) s.arrive(t, 0.05f);
        s.drain(Double.POSITIVE_INFINITY);
        return s.metrics.served;
    }
}
