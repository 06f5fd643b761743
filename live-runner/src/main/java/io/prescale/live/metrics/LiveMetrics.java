package io.prescale.live.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.Rejection;
import io.prescale.live.serve.ServeListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The runner's Micrometer registry: per model requests, latency histograms, batch sizes, queue depth,
 * replicas, rejections by reason, cold starts, model load time, replica-seconds and cost. Scraped as
 * Prometheus text at /metrics and listed as JSON at /metrics.json.
 */
public final class LiveMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, List<Meter>> byModel = new ConcurrentHashMap<>();
    private final Counter decisions;
    private final Counter serverErrors;

    public LiveMetrics() {
        this.decisions = Counter.builder("prescale.policy.decisions").description("decisions applied by the control loop").register(registry);
        this.serverErrors = Counter.builder("prescale.http.server.errors").description("requests answered 500 (the runner's own faults)").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    public void decisionApplied() {
        decisions.increment();
    }

    /** Answers the server gave for its own faults (500), which no model's meters count. */
    public void serverError() {
        serverErrors.increment();
    }

    /** Bytes of request bodies held right now, against the server's budget for them. */
    public void bodyBytesInFlight(java.util.function.Supplier<Number> held) {
        Gauge.builder("prescale.http.body.bytes.in.flight", held).description("request body bytes held by requests in flight").register(registry);
    }

    /**
     * The pool replicas are placed on: {@code prescale_pool_cpu_threads{state="used"|"capacity"}}, and per GPU known
     * {@code prescale_pool_gpu_memory_bytes{device, state}}.
     */
    public void pool(io.prescale.live.registry.LocalPool pool) {
        Gauge.builder("prescale.pool.cpu.threads", pool, p -> p.usage().cpuThreadsUsed()).tag("state", "used")
                .description("CPU threads of the pool held by replicas (starting or ready), and its capacity (serve --cpu-threads)").register(registry);
        Gauge.builder("prescale.pool.cpu.threads", pool, p -> p.usage().cpuThreads()).tag("state", "capacity")
                .description("CPU threads of the pool held by replicas (starting or ready), and its capacity (serve --cpu-threads)").register(registry);
        for (int d = 0; d < pool.capacity().gpuMemoryMb().size(); d++) {
            int device = d;
            Gauge.builder("prescale.pool.gpu.memory", pool, p -> p.usage().gpuMemoryUsedMb().get(device) * 1048576.0).baseUnit("bytes")
                    .tag("device", Integer.toString(d)).tag("state", "used").description("GPU memory held by replicas, and each GPU's").register(registry);
            Gauge.builder("prescale.pool.gpu.memory", pool, p -> p.usage().gpuMemoryMb().get(device) * 1048576.0).baseUnit("bytes")
                    .tag("device", Integer.toString(d)).tag("state", "capacity").description("GPU memory held by replicas, and each GPU's").register(registry);
        }
        scaleUpsCut = Counter.builder("prescale.pool.scale.ups.cut").description("policy scale-ups the pool had room for only part of").register(registry);
    }

    private volatile Counter scaleUpsCut;

    /** A policy's scale-up the pool could place only part of. */
    public void scaleUpCut() {
        Counter c = scaleUpsCut;
        if (c != null) c.increment();
    }

    public void uploadsInFlight(java.util.function.Supplier<Number> uploads) {
        Gauge.builder("prescale.http.uploads.in.flight", uploads).description("model uploads being received or stored").register(registry);
    }

    /**
     * Meters for one model; the returned listener feeds the event-driven ones.
     * {@code pricePerReplicaHour} is what one of its replicas costs per hour (its share of the node).
     */
    public ServeListener register(String model, ModelServer server, double pricePerReplicaHour) {
        Tags tags = Tags.of("model", model);
        List<Meter> meters = new ArrayList<>();
        Counter ok = Counter.builder("prescale.requests").tags(tags).tag("outcome", "ok").description("requests answered").register(registry);
        meters.add(ok);
        Map<Rejection.Kind, Counter> rejected = new EnumMap<>(Rejection.Kind.class);
        for (Rejection.Kind k : Rejection.Kind.values()) {
            Counter c = Counter.builder("prescale.rejections").tags(tags).tag("reason", k.name().toLowerCase())
                    .description("requests refused or failed, by reason").register(registry);
            rejected.put(k, c);
            meters.add(c);
        }
        Timer latency = Timer.builder("prescale.request.latency").tags(tags).description("arrival to answer, queueing included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Timer batchTime = Timer.builder("prescale.batch.run").tags(tags).description("time one replica spent running one batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        DistributionSummary batchSize = DistributionSummary.builder("prescale.batch.size").tags(tags).description("rows per batch run")
                .register(registry);
        Timer load = Timer.builder("prescale.model.load").tags(tags).description("session creation plus warm-up").register(registry);
        Counter cold = Counter.builder("prescale.cold.starts").tags(tags).description("replicas started while the model had none ready").register(registry);
        meters.addAll(List.of(latency, batchTime, batchSize, load, cold));
        meters.add(Gauge.builder("prescale.queue.depth", server, ModelServer::queueDepth).tags(tags).description("requests waiting").register(registry));
        meters.add(Gauge.builder("prescale.replicas", server, ModelServer::replicasReady).tags(tags).tag("state", "ready").register(registry));
        meters.add(Gauge.builder("prescale.replicas", server, ModelServer::replicasStarting).tags(tags).tag("state", "starting").register(registry));
        meters.add(Gauge.builder("prescale.replicas.target", server, ModelServer::target).tags(tags).register(registry));
        meters.add(FunctionCounter.builder("prescale.replica.seconds", server, ModelServer::replicaSeconds).tags(tags)
                .description("replica-seconds held").register(registry));
        meters.add(FunctionCounter.builder("prescale.cost.usd", server, s -> s.replicaSeconds() / 3600.0 * pricePerReplicaHour).tags(tags)
                .description("cost of the replicas held, USD").register(registry));
        byModel.put(model, meters);
        return new ServeListener() {
            @Override public void served(long latencyNanos) {
                ok.increment();
                latency.record(latencyNanos, TimeUnit.NANOSECONDS);
            }
            @Override public void batchRun(int rows, long runNanos) {
                batchSize.record(rows);
                batchTime.record(runNanos, TimeUnit.NANOSECONDS);
            }
            @Override public void rejected(Rejection.Kind kind) {
                rejected.get(kind).increment();
            }
            @Override public void replicaLoaded(long loadNanos, boolean coldStart) {
                load.record(loadNanos, TimeUnit.NANOSECONDS);
                if (coldStart) cold.increment();
            }
        };
    }

    public void unregister(String model) {
        List<Meter> meters = byModel.remove(model);
        if (meters != null) meters.forEach(registry::remove);
    }
}
