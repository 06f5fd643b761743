package io.prescale.live;

import io.prescale.core.forecast.Forecaster;
import io.prescale.live.http.LiveServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * A real runner on loopback (random port) over a temporary state folder and a model store holding the
 * generated test models; a manual clock for the control loop (tests tick it themselves).
 */
final class LiveHarness implements AutoCloseable {
    static final String[] FIXTURES = {"affine.onnx", "mlp.onnx", "ids.onnx", "fixed.onnx", "slow.onnx", "branchy.onnx", "upsample.onnx", "vadlike.onnx"};

    final Path state;
    final Path store;
    static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    /** CPU threads of the harness's pool. */
    static final int POOL_THREADS = 64;

    final ManualClock clock;
    final LiveRuntime runtime;
    final LiveServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveHarness(Path root) {
        this(root, LiveServer.Settings.loopback(0));
    }

    LiveHarness(Path root, LiveServer.Settings settings) {
        this(root, settings, LiveRuntime.Options.DEFAULT_MAX_MODELS);
    }

    LiveHarness(Path root, LiveServer.Settings settings, int maxModels) {
        this(root, settings, maxModels, LiveRuntime.Options.DEFAULT_MAX_POLICIES);
    }

    LiveHarness(Path root, LiveServer.Settings settings, int maxModels, int maxPolicies) {
        this(root, settings, maxModels, maxPolicies, START);
    }

    /** A runner whose clock reads {@code start} when it opens the state folder. */
    LiveHarness(Path root, Instant start) {
        this(root, LiveServer.Settings.loopback(0), LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, start);
    }

    LiveHarness(Path root, LiveServer.Settings settings, int maxModels, int maxPolicies, Instant start) {
        this(root, settings, maxModels, maxPolicies, start, pool());
    }

    /** The harness's pool: {@link #POOL_THREADS} CPU threads, no GPU, whatever machine the tests run on. */
    static io.prescale.live.registry.LocalPool.Capacity pool() {
        return new io.prescale.live.registry.LocalPool.Capacity(POOL_THREADS, java.util.List.of(), true);
    }

    /** A runner whose replicas are placed on a pool of {@code capacity}. */
    LiveHarness(Path root, io.prescale.live.registry.LocalPool.Capacity capacity) {
        this(root, LiveServer.Settings.loopback(0), LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, START, capacity);
    }

    LiveHarness(Path root, LiveServer.Settings settings, int maxModels, int maxPolicies, Instant start,
                io.prescale.live.registry.LocalPool.Capacity capacity) {
        this(root, settings, maxModels, maxPolicies, start, capacity, System::nanoTime);
    }

    /** A runner whose body rate floor times reads on {@code bodyClock} (nanoseconds). */
    LiveHarness(Path root, LiveServer.Settings settings, java.util.function.LongSupplier bodyClock) {
        this(root, settings, LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, START, pool(), bodyClock);
    }

    LiveHarness(Path root, LiveServer.Settings settings, int maxModels, int maxPolicies, Instant start,
                io.prescale.live.registry.LocalPool.Capacity capacity, java.util.function.LongSupplier bodyClock) {
        this.clock = new ManualClock(start);
        this.state = root.resolve("state");
        this.store = root.resolve("store");
        copyFixtures(store);
        // a pool of a fixed size (unless told), whatever machine the tests run on
        this.runtime = LiveRuntime.open(new LiveRuntime.Options(state, store, 0.04, new TestPolicies(), id -> Forecaster.none(), clock, maxModels, maxPolicies,
                capacity));
        this.server = LiveServer.start(runtime, settings, bodyClock);
    }

    static void copyFixtures(Path store) {
        try {
            Files.createDirectories(store);
            for (String f : FIXTURES) {
                try (InputStream in = LiveHarness.class.getResourceAsStream("/onnx/" + f)) {
                    Files.write(store.resolve(f), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> put(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE().build());
    }

    HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A multipart/form-data POST /models: the registration JSON in "spec", the model's bytes in "file". */
    static HttpRequest upload(String modelsUrl, String spec, byte[] model) {
        String boundary = "prescale-test-boundary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\n" + spec + "\r\n").getBytes(utf8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(utf8));
        body.writeBytes(model);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(utf8));
        return HttpRequest.newBuilder(URI.create(modelsUrl)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    /** Waits (bounded, polling on a monitor rather than sleeping blindly) until {@code condition} holds. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        long until = System.nanoTime() + limit.toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("timed out after " + limit + " waiting for " + what);
            synchronized (monitor) {
                try {
                    monitor.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * The most a socket's send buffer grows to on this machine (Linux: the third field of net.ipv4.tcp_wmem), or
     * Long.MAX_VALUE when it cannot be read: tests that need an answer the system cannot buffer whole for a client that
     * reads nothing make theirs larger than this.
     */
    static long largestSendBuffer() {
        // read as a stream: Files.readString takes the size the file system reports, and /proc's files report none
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/tcp_wmem"))) {
            String[] f = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+");
            return Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    static String register(String name, String file, String extra) {
        return "{\"name\":\"" + name + "\",\"file\":\"" + file + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Override
    public void close() {
        server.close();
        runtime.close();
    }

    /**
     * Starts a 1 MB upload and stops after 200 KB of it: its file part (above 64 KB) has been spooled to disk by then, and
     * the body waits for the rest until its client leaves or the idle timeout (10 s) ends it.
     */
    static void stallUpload(java.net.Socket s) throws Exception {
        byte[] start = ("--b\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\n{\"name\":\"stalled\"}\r\n--b\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.OutputStream out = s.getOutputStream();
        out.write(("POST /models HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (1 << 20) + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(start);
        out.write(new byte[200 << 10]);
        out.flush();
    }
}
