package io.prescale.live.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.LiveRuntime;
import io.prescale.live.http.LiveServer;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.live.onnx.DeviceRequest;
import io.prescale.live.onnx.NativeThreads;
import io.prescale.live.tensor.BinaryTensors;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorJson;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run, one machine: raw ONNX Runtime Java loop on a model vs the runner's /predict (JSON) and
 * /v2/models/{name}/infer with binary tensors on the same model (one replica, same thread budget), without
 * and with dynamic batching, and the latency the runner adds at half of its measured throughput. Prints one
 * table; figures are ratios measured in the same process, with the CPU each request cost the whole process.
 */
@Command(name = "bench-throughput", mixinStandardHelpOptions = true, description = "raw ONNX Runtime loop vs /predict throughput and latency")
public final class ThroughputBench implements Runnable {
    @Option(names = "--model-store", required = true) Path store;
    @Option(names = "--file", required = true, description = "model file inside the store") String file;
    @Option(names = "--input", description = "name=d1,d2[@value] (repeatable)") List<String> inputs = new ArrayList<>();
    @Option(names = "--threads", defaultValue = "1", description = "intra-op threads of the one replica (and of the raw loop)") int threads;
    @Option(names = "--seconds", defaultValue = "8") double seconds;
    @Option(names = "--concurrency", defaultValue = "4", description = "closed-loop clients for the throughput runs") int concurrency;
    @Option(names = "--max-batch", defaultValue = "8") int maxBatch;
    @Option(names = "--max-queue-delay", defaultValue = "2ms") String maxQueueDelay;
    @Option(names = "--batch-concurrency", defaultValue = "16") int batchConcurrency;
    @Option(names = "--gpu-memory-mb", defaultValue = "0", description = "> 0: replicas ask for a GPU with this memory cap (raw loop too)") long gpuMemoryMb;

    private final HttpClient http = HttpClient.newHttpClient(); // registration only
    /** CPU time of this whole process (load threads, server, replica) per request in the last closed loop: steadier than rates on a shared machine. */
    private double lastCpuMicrosPerRequest;

    /** The model in a loop on one session, on a big-stack thread like the runner's replicas: {rate, p50 ms, p99 ms, CPU us each}. */
    private double[] rawLoop(Path model, DeviceRequest device, String[] deviceOut) throws InterruptedException {
        double[] raw = new double[4];
        Thread t = NativeThreads.create(() -> {
            try (io.prescale.live.onnx.Replica r = io.prescale.live.onnx.Replicas.load(model, device)) {
                deviceOut[0] = r.device();
                Map<String, Tensor> in = InputSpec.build(r.signature(), inputs, 1);
                for (int i = 0; i < 50; i++) r.run(in);
                Histogram h = new Histogram(3);
                long end = System.nanoTime() + (long) (seconds * 1e9), n = 0, t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    r.run(in);
                    h.recordValue((System.nanoTime() - s) / 1000);
                    n++;
                }
                raw[0] = n / ((System.nanoTime() - t0) / 1e9);
                raw[3] = (processCpuNanos() - cpu0) / 1000.0 / n;
                raw[1] = h.getValueAtPercentile(50) / 1000.0;
                raw[2] = h.getValueAtPercentile(99) / 1000.0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "raw-loop");
        t.start();
        t.join();
        return raw;
    }

    /** CPU time so far of every live Java thread, by "name#id". */
    private static Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) continue;
            long c = mx.getThreadCpuTime(ti.getThreadId());
            if (c >= 0) out.put(ti.getThreadName() + "#" + ti.getThreadId(), c);
        }
        return out;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Override
    public void run() {
        try {
            go();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void go() throws Exception {
        Path model = store.resolve(file);
        DeviceRequest device = new DeviceRequest(threads, gpuMemoryMb > 0, 0, gpuMemoryMb << 20);
        String[] rawDevice = new String[1];
        // the raw loop runs before and after the runner and the two are averaged, so a load that comes or goes
        // on a shared machine in between shifts both sides alike
        double[] before = rawLoop(model, device, rawDevice);

        Path state = Files.createTempDirectory("prescale-bench");
        LiveRuntime rt = LiveRuntime.open(new LiveRuntime.Options(state, store, 0.04, new CatalogPolicyFactory(), id -> Forecaster.none(), InstantSource.system()));
        try (LiveServer server = LiveServer.start(rt, LiveServer.Settings.loopback(0))) {
            String base = "http://127.0.0.1:" + server.port();
            String common = "\"file\":\"" + file + "\",\"resources\":{\"cpuThreads\":" + threads + ",\"gpuMemoryMb\":" + gpuMemoryMb + "},\"minReplicas\":1,\"maxReplicas\":1,"
                    + "\"timeout\":\"60s\",\"slo\":{\"latency\":\"10s\"}";
            post(base + "/models", "{\"name\":\"plain\"," + common + ",\"batching\":{\"maxBatch\":1,\"queueCapacity\":1024}}");
            post(base + "/models", "{\"name\":\"batched\"," + common + ",\"batching\":{\"maxBatch\":" + maxBatch + ",\"maxQueueDelay\":\"" + maxQueueDelay + "\",\"queueCapacity\":1024}}");
            boolean batchable = rt.registry().get("batched").orElseThrow().batchable();
            Map<String, Tensor> in = InputSpec.build(rt.registry().get("plain").orElseThrow().signature(), inputs, 1);
            ObjectMapper m = new ObjectMapper();
            Body plainBody = predictBody("plain", in, m);
            Body batchedBody = predictBody("batched", in, m);
            Body binaryBody = binaryInfer("plain", in, m);
            // warm the JIT and connections on every path measured: on 2 cores C2 needs seconds, and its CPU would count against the runner
            closedLoop(base, plainBody, concurrency, 3);
            closedLoop(base, binaryBody, concurrency, 3);
            if (batchable) closedLoop(base, batchedBody, batchConcurrency, 2);
            var plainServer = rt.registry().get("plain").orElseThrow();
            plainServer.intervalSnapshot();
            long direct0 = plainServer.directRuns();
            double plain = closedLoop(base, plainBody, concurrency, seconds);
            double plainCpu = lastCpuMicrosPerRequest;
            var plainRuns = plainServer.intervalSnapshot();
            long direct1 = plainServer.directRuns();
            double binary = closedLoop(base, binaryBody, concurrency, seconds);
            double binaryCpu = lastCpuMicrosPerRequest;
            var binaryRuns = plainServer.intervalSnapshot();
            long direct2 = plainServer.directRuns();
            double batched = batchable ? closedLoop(base, batchedBody, batchConcurrency, seconds) : Double.NaN;
            double[] half = openLoop(base, plainBody, plain / 2, seconds);
            double[] halfBinary = openLoop(base, binaryBody, binary / 2, seconds);
            double[] after = rawLoop(model, device, rawDevice);
            double[] raw = new double[4];
            for (int i = 0; i < raw.length; i++) raw[i] = (before[i] + after[i]) / 2;
            double[] rawCpu = {raw[3]};
            System.out.printf(Locale.ROOT, "model %s, %d intra-op thread(s), %d cores, body %d bytes JSON, %d bytes binary%n", file, threads,
                    Runtime.getRuntime().availableProcessors(), plainBody.bytes().length, binaryBody.bytes().length);
            System.out.printf("device: raw loop %s; runner %s%n", rawDevice[0], rt.registry().get("plain").orElseThrow().device());
            System.out.printf(Locale.ROOT, "raw loop before / after the runner: %.1f / %.1f inferences/s (the mean below)%n", before[0], after[0]);
            System.out.printf(Locale.ROOT, "raw ONNX Runtime loop      %9.1f inferences/s   p50 %.3f ms  p99 %.3f ms  (process CPU %.0f us each)%n", raw[0], raw[1], raw[2], rawCpu[0]);
            System.out.printf(Locale.ROOT, "/predict, no batching      %9.1f requests/s     %.1f %% of raw (concurrency %d; process CPU %.0f us each)%n", plain, 100 * plain / raw[0], concurrency, plainCpu);
            System.out.printf(Locale.ROOT, "/v2 infer binary, no batch %9.1f requests/s     %.1f %% of raw (concurrency %d; process CPU %.0f us each)%n", binary, 100 * binary / raw[0], concurrency, binaryCpu);
            System.out.printf(Locale.ROOT, "replica run time (mean, in the runner): %.3f ms under /predict, %.3f ms under /v2 binary; raw loop mean %.3f ms; run on the request thread: %.0f %% / %.0f %%%n",
                    plainRuns.busyNanos() / 1e6 / Math.max(1, plainRuns.completed()), binaryRuns.busyNanos() / 1e6 / Math.max(1, binaryRuns.completed()), 1000 / raw[0],
                    100.0 * (direct1 - direct0) / Math.max(1, plainRuns.completed()), 100.0 * (direct2 - direct1) / Math.max(1, binaryRuns.completed()));
            if (batchable)
                System.out.printf(Locale.ROOT, "/predict, dynamic batching %9.1f requests/s     %.2fx of no batching (max batch %d, delay %s, concurrency %d)%n",
                        batched, batched / plain, maxBatch, maxQueueDelay, batchConcurrency);
            else System.out.println("/predict, dynamic batching   n/a (the model's inputs have no free batch dimension)");
            System.out.printf(Locale.ROOT, "half load (%.1f req/s open loop): p50 %.3f ms, p99 %.3f ms; added p50 over raw p50: %.3f ms%n",
                    plain / 2, half[0], half[1], half[0] - raw[1]);
            System.out.printf(Locale.ROOT, "half load, /v2 binary (%.1f req/s): p50 %.3f ms, p99 %.3f ms; added p50 over raw p50: %.3f ms%n",
                    binary / 2, halfBinary[0], halfBinary[1], halfBinary[0] - raw[1]);
        } finally {
            rt.close();
            // the runner's state folder is this run's alone: leave nothing in the temp folder
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private static final String JSON = "Content-Type: application/json\r\n";

    /** A request the load threads send over and over: path, bytes and header lines. */
    private record Body(String path, byte[] bytes, String headers) {}

    /** {"model": .., "inputs": ..}: the model first, as clients write it (a server may then parse the inputs knowing its signature). */
    private static Body predictBody(String model, Map<String, Tensor> in, ObjectMapper m) throws Exception {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("model", model);
        body.put("inputs", TensorJson.writeNamed(in));
        return new Body("/predict", m.writeValueAsBytes(body), JSON);
    }

    /**
     * The same inputs as an Open Inference Protocol infer with the binary tensor data extension: a JSON header
     * naming each input's binary_data_size, then the raw little-endian bytes; outputs asked for as binary too.
     */
    private static Body binaryInfer(String model, Map<String, Tensor> in, ObjectMapper m) throws Exception {
        List<Map<String, Object>> inputs = new ArrayList<>();
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (Tensor t : in.values()) {
            inputs.add(Map.of("name", t.name(), "shape", t.shape(), "datatype", t.type().protocolName(),
                    "parameters", Map.of("binary_data_size", BinaryTensors.size(t))));
            data.write(BinaryTensors.encode(t));
        }
        byte[] header = m.writeValueAsBytes(Map.of("inputs", inputs, "parameters", Map.of("binary_data_output", true)));
        byte[] body = java.util.Arrays.copyOf(header, header.length + data.size());
        System.arraycopy(data.toByteArray(), 0, body, header.length, data.size());
        return new Body("/v2/models/" + model + "/infer", body,
                "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " + header.length + "\r\n");
    }

    private void post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("registration failed: " + r.body());
    }

    /** {@code users} threads, each on its own keep-alive connection, sending the next request when the answer arrives. */
    private double closedLoop(String base, Body body, int users, double secs) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Thread t = new Thread(() -> {
                try (KeepAliveClient c = new KeepAliveClient(URI.create(base))) {
                    while (!stop.get()) {
                        int status = c.post(body.path(), body.bytes(), body.headers());
                        if (status == 200) ok.incrementAndGet();
                        else throw new IllegalStateException(body.path() + " answered " + status + ": " + new String(c.lastBody(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        long t0 = System.nanoTime();
        long n0 = ok.get();
        long cpu0 = processCpuNanos();
        Map<String, Long> threads0 = threadCpu();
        Thread.sleep((long) (secs * 1000));
        long n = ok.get() - n0;
        long cpu = processCpuNanos() - cpu0;
        if (Boolean.getBoolean("bench.threads")) {
            Map<String, Long> threads1 = threadCpu();
            Map<String, Long> byGroup = new java.util.TreeMap<>();
            long javaTotal = 0;
            for (var e : threads1.entrySet()) {
                long d = e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
                javaTotal += d;
                byGroup.merge(e.getKey().replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N"), d, Long::sum);
            }
            StringBuilder b = new StringBuilder("  CPU us/request by thread:");
            for (var e : byGroup.entrySet()) if (e.getValue() / 1000.0 / n >= 1) b.append(String.format(Locale.ROOT, " %s=%.0f", e.getKey(), e.getValue() / 1000.0 / n));
            b.append(String.format(Locale.ROOT, " non-Java(JIT,GC)=%.0f", (cpu - javaTotal) / 1000.0 / n));
            System.out.println(b);
        }
        double el = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : threads) t.join();
        lastCpuMicrosPerRequest = n == 0 ? Double.NaN : cpu / 1000.0 / n;
        return n / el;
    }

    /** Requests at a fixed total rate spread over a few connections, each paced on its own schedule; p50 and p99 latency in ms. */
    private double[] openLoop(String base, Body body, double rate, double secs) throws Exception {
        Histogram h = new Histogram(3);
        int conns = 4;
        long periodNanos = (long) (1e9 * conns / rate);
        long count = (long) (rate * secs / conns);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int k = 0; k < conns; k++) {
            long offset = k * periodNanos / conns;
            Thread t = new Thread(() -> {
                try (KeepAliveClient c = new KeepAliveClient(URI.create(base))) {
                    for (long i = 0; i < count; i++) {
                        long due = start + offset + i * periodNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        long s = System.nanoTime();
                        c.post(body.path(), body.bytes(), body.headers());
                        long lat = (System.nanoTime() - s) / 1000;
                        synchronized (h) {
                            h.recordValue(lat);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        return new double[]{h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0};
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ThroughputBench()).execute(args));
    }
}
