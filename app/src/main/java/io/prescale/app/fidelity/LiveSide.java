package io.prescale.app.fidelity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;
import io.prescale.live.LiveRuntime;
import io.prescale.live.bench.InputSpec;
import io.prescale.live.bench.KeepAliveClient;
import io.prescale.live.bench.OpenLoopSender;
import io.prescale.live.http.LiveServer;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.live.loop.LiveForecasters;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.tensor.TensorJson;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The live half of a fidelity run: the live runner in this JVM on a loopback port with a fresh state folder,
 * each served model registered from the same ONNX file, the policy activated as the replay starts, and the
 * plan's arrivals sent over HTTP at their (compressed) times. Latency is measured from each request's due
 * time, so a lagging sender does not hide queueing. Replica-seconds are integrated from the replicas held
 * (ready + loading, as the simulator bills from placement) sampled every 10 ms, and also read from the
 * runner's own ready-replica accounting.
 */
final class LiveSide implements AutoCloseable {
    /** What the replay measured. Latency in microseconds; rejected = 429 (queue full, deadline unmeetable); timedOut = 504. */
    record Result(long sent, long ok, long rejected, long timedOut, long otherErrors, Histogram latencyMicros, Histogram serverMicros,
                  double replicaSecondsHeld, double replicaSecondsReady, double wallSeconds, int peakReplicas) {}

    private final LiveRuntime runtime;
    private final LiveServer server;
    private final URI base;

    LiveSide(Path stateDir, Path modelStore) {
        // the simulated pool has a node per replica: the live one places every replica the models allow, as it does
        this(LiveRuntime.open(new LiveRuntime.Options(stateDir, modelStore, 0.04, new CatalogPolicyFactory(),
                LiveForecasters::forPolicy, InstantSource.system(), LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES,
                io.prescale.live.registry.LocalPool.Capacity.unbounded())), LiveServer.Settings.loopback(0));
    }

    /**
     * Serves {@code runtime} (taken over: closed with this side) on {@code settings}. A server that does not start closes
     * the runtime before the error goes on: its restored models' sessions, replica threads and loaders were left open.
     */
    LiveSide(LiveRuntime runtime, LiveServer.Settings settings) {
        this.runtime = runtime;
        try {
            server = LiveServer.start(runtime, settings);
        } catch (RuntimeException | Error e) {
            try {
                runtime.close();
            } catch (RuntimeException | Error c) {
                e.addSuppressed(c);
            }
            throw e;
        }
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * How long a replay or calibration waits, in all, for the answers still due after its last request was due (as
     * {@code replay}'s): unbounded, a runner that hung with its connections open held the end for a read timeout (120 s)
     * per queued request, one after another.
     */
    static final java.time.Duration ANSWERS_WAIT = java.time.Duration.ofSeconds(120);

    void register(ModelRegistration reg) throws Exception {
        runtime.register(reg);
    }

    /** A /predict body for {@code model}: the model's inputs (symbolic dims 1, or as --input says), seeded values. */
    byte[] body(String model, List<String> inputs) throws IOException {
        ModelServer s = runtime.registry().get(model).orElseThrow();
        ObjectNode b = Yaml.json().createObjectNode();
        b.put("model", model);
        b.set("inputs", TensorJson.writeNamed(InputSpec.build(s.signature(), inputs, 1)));
        return Yaml.json().writeValueAsBytes(b);
    }

    /**
     * Client-seen time of one request on an idle runner minus the replica's service time: what HTTP, JSON and
     * the hand-off to the replica thread add to each request (median of {@code n} sequential requests).
     */
    double httpOverheadSeconds(byte[] body, int n, double serviceSeconds) throws IOException {
        double[] t = new double[n];
        try (KeepAliveClient c = new KeepAliveClient(base)) {
            for (int i = 0; i < n / 2; i++) c.post("/predict", body); // JIT warm-up
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                int code = c.post("/predict", body);
                if (code != 200) throw new IllegalStateException("warm-up request answered " + code + ": " + new String(c.lastBody()));
                t[i] = (System.nanoTime() - s) / 1e9;
            }
        }
        Arrays.sort(t);
        return Math.max(0, t[n / 2] - serviceSeconds);
    }

    /** {count, seconds, squared seconds} of the single-row runs the replicas of {@code models} have made so far (see {@link io.prescale.live.serve.LatencyFit#totals}). */
    double[] singleRunTotals(List<String> models) {
        double[] sum = new double[3];
        for (String m : models) {
            double[] t = runtime.registry().get(m).orElseThrow().latency().totals(1);
            for (int i = 0; i < sum.length; i++) sum[i] += t[i];
        }
        return sum;
    }

    /** Activates the policy (if any), then sends the plan; returns once every response is in. */
    Result replay(ArrivalPlan plan, Map<String, byte[]> bodies, PolicyFile policy, int connections) throws InterruptedException {
        if (policy != null) {
            runtime.storeAndActivate(runtime.control().prepare(policy)); // as serve --policy: one change under the policies' lock
        }
        runtime.startTimers();
        Map<String, Double> readyAtStart = new HashMap<>();
        for (ModelServer s : runtime.registry().all()) readyAtStart.put(s.name(), s.replicaSeconds());
        ReplicaSampler sampler = new ReplicaSampler();
        long start = System.nanoTime() + 50_000_000L;
        long end = start + (long) (plan.wallSeconds() * 1e9);
        sampler.start(start, end);
        long[] counts = new long[5];
        Sent sent = send(plan, bodies, connections, start, counts);
        long wait;
        while ((wait = end - System.nanoTime()) > 0) LockSupport.parkNanos(Math.min(wait, 20_000_000L));
        double held = sampler.stop();
        double ready = 0;
        for (ModelServer s : runtime.registry().all()) ready += s.replicaSeconds() - readyAtStart.getOrDefault(s.name(), 0.0);
        double wall = (System.nanoTime() - start) / 1e9;
        return new Result(counts[4], counts[0], counts[1], counts[2], counts[3], sent.latency(), sent.server(), held, ready, wall, sampler.peak);
    }

    /**
     * Client latencies of {@code seconds} of Poisson arrivals at {@code rate} per second, spread over the served models
     * in the replay's proportions, before any policy is active: the HTTP path's latency distribution at the replay's
     * mean load (service time included), with every model's replica running as it will during the replay.
     */
    Sent calibrate(ArrivalPlan replay, Map<String, byte[]> bodies, double rate, double seconds, int connections, long seed)
            throws InterruptedException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed ^ 0xCA1L);
        List<String> models = replay.servedModels();
        double[] cumulative = new double[models.size()];
        double total = replay.arrivals().size(), acc = 0;
        for (int i = 0; i < models.size(); i++) cumulative[i] = (acc += replay.count(models.get(i)) / total);
        List<ArrivalPlan.Arrival> arrivals = new ArrayList<>();
        for (double t = -Math.log(1 - rnd.nextDouble()) / rate; t < seconds; t += -Math.log(1 - rnd.nextDouble()) / rate) {
            double u = rnd.nextDouble() * acc;
            int k = 0;
            while (k < models.size() - 1 && u > cumulative[k]) k++;
            arrivals.add(new ArrivalPlan.Arrival(t, models.get(k)));
        }
        ArrivalPlan plan = new ArrivalPlan("calibration", arrivals, models, Map.of(), seconds);
        return send(plan, bodies, connections, System.nanoTime() + 20_000_000L, new long[5]);
    }

    /** Sends the plan's arrivals at their due times; counts: ok, 429, 504, other, sent. */
    /**
     * Client latencies of the served requests, the server's own time with each ({@code Server-Timing}: queue,
     * batching, run), and their difference: what HTTP, JSON and the hand-offs add (all in microseconds).
     */
    record Sent(Histogram latency, Histogram server, Histogram overhead) {}

    private Sent send(ArrivalPlan plan, Map<String, byte[]> bodies, int connections, long start, long[] counts) throws InterruptedException {
        return send(base, plan, bodies, connections, start, counts, ANSWERS_WAIT);
    }

    /**
     * Sends the plan to {@code base}, then waits at most {@code answersWait} for the answers still due: those that did not
     * come are counted as other errors (no answer, status -1), and said on stderr.
     */
    static Sent send(URI base, ArrivalPlan plan, Map<String, byte[]> bodies, int connections, long start, long[] counts,
                     java.time.Duration answersWait) throws InterruptedException {
        Histogram latency = new Histogram(3), server = new Histogram(3), overhead = new Histogram(3);
        // counts: {ok, 429, 504, other, sent}
        OpenLoopSender sender = new OpenLoopSender(base, "/predict", connections, Math.max(1024, connections * 64), "fidelity-replay", true,
                (model, code, micros, serverMicros) -> {
                    counts[4]++;
                    if (code == 200) {
                        counts[0]++;
                        latency.recordValue(micros);
                        if (serverMicros >= 0) {
                            server.recordValue(Math.max(1, serverMicros));
                            overhead.recordValue(Math.max(1, micros - serverMicros));
                        }
                    } else if (code == 429) counts[1]++;
                    else if (code == 504) counts[2]++;
                    else counts[3]++;
                });
        for (ArrivalPlan.Arrival a : plan.arrivals())
            sender.sendAt(a.model(), start + (long) (a.offsetSeconds() * 1e9), bodies.get(a.model()));
        if (!sender.close(answersWait.toMillis(), TimeUnit.MILLISECONDS))
            System.err.println("fidelity: stopped waiting for answers " + io.prescale.core.config.Durations.format(answersWait) + " after the last request was due: "
                    + "those still due are counted with no answer (other errors)");
        return new Sent(latency, server, overhead);
    }

    /** Integrates the replicas held (ready + starting) over [start, end) by sampling. */
    private final class ReplicaSampler {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fidelity-replica-sampler");
            t.setDaemon(true);
            return t;
        });
        private double seconds;
        private long last;
        private int lastCount;
        private long endNanos;
        volatile int peak;

        void start(long startNanos, long end) {
            endNanos = end;
            last = startNanos;
            lastCount = held();
            timer.scheduleAtFixedRate(this::sample, Math.max(0, (startNanos - System.nanoTime()) / 1000), 10_000, TimeUnit.MICROSECONDS);
        }

        private synchronized void sample() {
            long now = Math.min(System.nanoTime(), endNanos);
            if (now > last) {
                seconds += lastCount * (now - last) / 1e9;
                last = now;
            }
            lastCount = held();
            peak = Math.max(peak, lastCount);
        }

        private int held() {
            int n = 0;
            for (ModelServer s : runtime.registry().all()) n += s.replicasReady() + s.replicasStarting();
            return n;
        }

        double stop() {
            sample();
            timer.shutdownNow();
            synchronized (this) {
                return seconds;
            }
        }
    }

    @Override
    public void close() {
        server.close();
        runtime.close();
    }
}
