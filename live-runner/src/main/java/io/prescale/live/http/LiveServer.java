package io.prescale.live.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.prescale.live.LiveRuntime;
import io.prescale.live.onnx.NativeThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runner's HTTP API on Javalin (Jetty), bound to loopback unless told otherwise. Every bad input is
 * answered with a 4xx and a JSON reason; mutating /models and /policies calls can require a bearer token.
 */
public final class LiveServer implements AutoCloseable {
    /** Every path served; the OpenAPI document names each (a test keeps the two in step). */
    public static final List<String> PATHS = List.of("/models", "/models/{name}", "/predict", "/v2/models/{name}/infer",
            "/v2/models/{name}", "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/infer", "/v2/models/{name}/versions/{version}",
            "/v2/models/{name}/versions/{version}/ready", "/v2", "/v2/health/live", "/v2/health/ready", "/metrics", "/metrics.json",
            "/policies", "/policies/{name}", "/policies/{name}/activate", "/openapi.json", "/health");

    /**
     * @param maxBodyBytes      largest request body other than a model upload (413 above)
     * @param maxUploadBytes    largest model upload
     * @param minRequestBytesPerSecond a body that arrives slower than this is cut off with 408 (0: no limit), so that
     *                          slow clients cannot hold every request thread; measured over the time the server waits for
     *                          its bytes ({@link BodyRateFloor})
     * @param maxBodyBytesInFlight request bodies the server holds at once, all requests together (429 above; see
     *                          {@link BodyBudget})
     * @param maxConnections    connections held open at once; past it no new one is accepted (they wait in the system's
     *                          backlog) until one closes, so that clients that open connections and send nothing cannot take
     *                          every file descriptor the process may have (then no model, registration or history file
     *                          opens, and Jetty logs a stack trace a second for its failed accepts)
     */
    public record Settings(String host, int port, Optional<String> token, long maxBodyBytes, long maxUploadBytes,
                           long minRequestBytesPerSecond, long maxBodyBytesInFlight, int maxConnections) {
        /** Below a 128 kbit/s line: no client a model server serves is that slow, a trickling one is. */
        public static final long DEFAULT_MIN_REQUEST_RATE = 16 * 1024;

        public Settings {
            if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("the largest body must be in [1, " + (Integer.MAX_VALUE - 8) + "] bytes (one Java array holds it)");
            if (maxBodyBytesInFlight < maxBodyBytes)
                throw new IllegalArgumentException("the bodies in flight (" + maxBodyBytesInFlight + " bytes) must hold at least one body of the largest size (" + maxBodyBytes + ")");
            if (maxConnections < 1) throw new IllegalArgumentException("the connections held open at once must be >= 1, got " + maxConnections);
        }

        public Settings(String host, int port, Optional<String> token, long maxBodyBytes, long maxUploadBytes,
                        long minRequestBytesPerSecond, long maxBodyBytesInFlight) {
            this(host, port, token, maxBodyBytes, maxUploadBytes, minRequestBytesPerSecond, maxBodyBytesInFlight, defaultMaxConnections());
        }

        /** These settings with at most {@code n} connections open at once. */
        public Settings withMaxConnections(int n) {
            return new Settings(host, port, token, maxBodyBytes, maxUploadBytes, minRequestBytesPerSecond, maxBodyBytesInFlight, n);
        }

        /** The most connections a runner holds by default: {@link #defaultMaxConnections(long)} of this process's descriptor limit. */
        public static int defaultMaxConnections() {
            long fds = -1;
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix)
                fds = unix.getMaxFileDescriptorCount();
            return defaultMaxConnections(fds);
        }

        /**
         * Half the file descriptors the process may open (the other half for model files, sessions, the state folder and
         * the JVM), at most {@value #MAX_DEFAULT_CONNECTIONS}; that many when the limit is unknown ({@code fds < 1}).
         */
        public static int defaultMaxConnections(long fds) {
            if (fds < 1) return MAX_DEFAULT_CONNECTIONS;
            return (int) Math.max(1, Math.min(MAX_DEFAULT_CONNECTIONS, fds / 2));
        }

        /** The default's ceiling: far above what one runner serves, far below what a flood of idle connections reaches. */
        public static final int MAX_DEFAULT_CONNECTIONS = 10_000;

        public Settings(String host, int port, Optional<String> token, long maxBodyBytes, long maxUploadBytes, long minRequestBytesPerSecond) {
            this(host, port, token, maxBodyBytes, maxUploadBytes, minRequestBytesPerSecond, defaultBodiesInFlight(maxBodyBytes));
        }

        public Settings(String host, int port, Optional<String> token, long maxBodyBytes, long maxUploadBytes) {
            this(host, port, token, maxBodyBytes, maxUploadBytes, DEFAULT_MIN_REQUEST_RATE);
        }

        /**
         * A quarter of the heap: each body also becomes tensors of about its size while its request is in flight,
         * and the heap must keep room for the models' outputs and the server itself.
         */
        public static long defaultBodiesInFlight(long maxBodyBytes) {
            return Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / 4);
        }

        public static Settings loopback(int port) {
            return new Settings("127.0.0.1", port, Optional.empty(), 16L << 20, 512L << 20);
        }
    }

    /** The runner's metrics, for what the handlers count outside any model (server errors). */
    static final io.javalin.config.Key<io.prescale.live.metrics.LiveMetrics> METRICS = new io.javalin.config.Key<>("prescale.metrics");

    /** How long a request thread waits for the next byte of a body before the request is cut off. */
    static final java.time.Duration BODY_IDLE_TIMEOUT = java.time.Duration.ofSeconds(10);

    /** How long a stop waits for the requests in flight when no other time is given ({@code serve --drain-timeout}). */
    public static final java.time.Duration DEFAULT_DRAIN_TIMEOUT = java.time.Duration.ofSeconds(15);

    private final Javalin app;
    private final Drain drain;
    private final BodyRateFloor floor;
    private final org.eclipse.jetty.server.ConnectionLimit connections;

    private LiveServer(Javalin app, Drain drain, BodyRateFloor floor, org.eclipse.jetty.server.ConnectionLimit connections) {
        this.app = app;
        this.drain = drain;
        this.floor = floor;
        this.connections = connections;
    }

    public static LiveServer start(LiveRuntime runtime, Settings settings) {
        return start(runtime, settings, System::nanoTime);
    }

    /** {@code bodyClock}: the clock the body rate floor times reads on ({@link BodyRateFloor}; tests give their own). */
    public static LiveServer start(LiveRuntime runtime, Settings settings, java.util.function.LongSupplier bodyClock) {
        byte[] openapi = openApiDocument();
        ModelsApi models = new ModelsApi(runtime, settings.maxUploadBytes(), settings.maxBodyBytes());
        // request threads with ONNX Runtime-safe stacks, so an idle replica can run a request on its own thread; a queued
        // request's answer is encoded and written on one too (PredictApi)
        QueuedThreadPool pool = new QueuedThreadPool(250, 8, 60_000, -1, null, null, NativeThreads.factory("http"));
        pool.setName("http");
        PredictApi predict = new PredictApi(runtime, settings.maxBodyBytes(), pool);
        PoliciesApi policies = new PoliciesApi(runtime, settings.maxBodyBytes());
        MetricsApi metrics = new MetricsApi(runtime.metrics());
        BodyBudget budget = new BodyBudget(settings.maxBodyBytesInFlight());
        BodyRateFloor floor = new BodyRateFloor(settings.minRequestBytesPerSecond(), bodyClock);
        Drain drain = new Drain();
        org.eclipse.jetty.server.ConnectionLimit[] connections = new org.eclipse.jetty.server.ConnectionLimit[1];
        runtime.metrics().bodyBytesInFlight(budget::held);
        runtime.metrics().uploadsInFlight(models::uploadsInFlight);
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            // tensors compress poorly and gzip costs more CPU than a small model's inference
            cfg.http.disableCompression();
            // a known path with the wrong method is 405 (with Allow), not "no such endpoint"
            cfg.http.prefer405over404 = true;
            cfg.jetty.threadPool = pool;
            cfg.http.maxRequestSize = Math.max(settings.maxBodyBytes(), settings.maxUploadBytes());
            // (multipart uploads are parsed by ModelsApi, with their limits and spool folder)
            // a request thread blocks while it reads a body: without a floor on the rate, 250 clients that trickle a byte
            // now and then (each byte resets the idle timeout) would hold every thread. The floor is the runner's own
            // (BodyRateFloor), not Jetty's setMinRequestDataRate: Jetty's counts the time the server itself takes between
            // reads against the client, and cut fast uploads off with 408 on a loaded machine
            cfg.appData(BodyRateFloor.KEY, floor);
            cfg.jetty.modifyHttpConfiguration(http -> {
                // the floor only acts when bytes arrive: a client that stops sending mid-body holds its thread until
                // this timeout (the connection's own 30 s idle timeout otherwise); no thread waits for a first byte
                http.setIdleTimeout(BODY_IDLE_TIMEOUT.toMillis());
                http.setDelayDispatchUntilContent(true);
                // Jetty reuses header fields seen earlier on a connection, matched ignoring case by default: after
                // "Authorization: Bearer t", a later "Bearer T" on that connection was read as the cached "Bearer t"
                http.setHeaderCacheCaseSensitive(true);
            });
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // at most this many connections open: past it the acceptor waits until one closes (new ones wait in the
            // system's backlog), so clients that open connections and send nothing cannot take every file descriptor
            cfg.jetty.modifyServer(server -> {
                connections[0] = new org.eclipse.jetty.server.ConnectionLimit(settings.maxConnections(), server);
                server.addBean(connections[0]);
            });
            cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
            // in front of every request: a stop refuses new ones and waits for those in flight (close)
            cfg.jetty.modifyServletContextHandler(h -> h.addFilter(new org.eclipse.jetty.servlet.FilterHolder(drain), "/*",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
            cfg.appData(METRICS, runtime.metrics());
            // bodies count against one budget from when they are read until their request is answered, and answers above
            // ANSWER_UNCOUNTED_BYTES in their place from then until they are sent (countAnswer, the after-handler, which
            // Javalin runs once an async request's future has completed too): what a request holds is given back when
            // Jetty has written its whole answer or given up on it (its client gone, or not reading for the idle
            // timeout), or the request ended without an answer. Given back when the handler returned, an answer a
            // client did not read stayed on the heap, outside the budget, for as long as it kept its connection
            cfg.appData(BodyBudget.KEY, budget);
            org.eclipse.jetty.server.HttpChannel.Listener completions = new org.eclipse.jetty.server.HttpChannel.Listener() {
                @Override
                public void onComplete(org.eclipse.jetty.server.Request request) {
                    budget.giveBack(request);
                }
            };
            cfg.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) c.addBean(completions);
                }
            }));
        });
        boolean loopback = isLoopback(settings.host());
        app.before(ctx -> guard(ctx, settings, loopback));
        app.after(ctx -> countAnswer(ctx, budget));
        get(app, "/models", models::list);
        app.post("/models", models::register);
        get(app, "/models/{name}", models::get);
        app.delete("/models/{name}", models::delete);
        app.post("/predict", predict::predict);
        app.post("/v2/models/{name}/infer", predict::infer);
        get(app, "/v2/models/{name}", predict::metadata);
        get(app, "/v2/models/{name}/ready", predict::modelReady);
        // the protocol's version paths, for the one version each model has ("versions": ["1"] in its metadata)
        app.post("/v2/models/{name}/versions/{version}/infer", predict::infer);
        get(app, "/v2/models/{name}/versions/{version}", predict::metadata);
        get(app, "/v2/models/{name}/versions/{version}/ready", predict::modelReady);
        Map<String, Object> serverMetadata = serverMetadata(openapi);
        get(app, "/v2", ctx -> Json.send(ctx, 200, serverMetadata));
        get(app, "/v2/health/live", ctx -> Json.send(ctx, 200, Map.of("live", true)));
        get(app, "/v2/health/ready", ctx -> Json.send(ctx, 200, Map.of("ready", true)));
        get(app, "/health", ctx -> Json.send(ctx, 200, Map.of("status", "ok", "models", runtime.registry().all().size())));
        get(app, "/metrics", metrics::prometheus);
        get(app, "/metrics.json", metrics::json);
        get(app, "/policies", policies::list);
        app.post("/policies", policies::create);
        get(app, "/policies/{name}", policies::get);
        app.put("/policies/{name}", policies::replace);
        app.delete("/policies/{name}", policies::delete);
        app.post("/policies/{name}/activate", policies::activate);
        get(app, "/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
        app.exception(Exception.class, ErrorMapping::handle);
        Map<java.util.regex.Pattern, String> allow = allowedMethods(openapi);
        for (int status : new int[]{404, 405}) {
            app.error(status, ctx -> {
                if (String.valueOf(ctx.res().getContentType()).startsWith("application/json")) return;
                // the method as sent: Javalin names one it does not know (BREW) "INVALID"
                String method = ctx.req().getMethod();
                if (status == 404) {
                    ErrorMapping.error(ctx, status, "no such endpoint: " + method + " " + ctx.path() + " (see /openapi.json)", null);
                    return;
                }
                // a 405 says which methods the path takes (RFC 9110: it must), as the document lists them
                String allowed = allow.entrySet().stream().filter(e -> e.getKey().matcher(ctx.path()).matches()).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
                if (allowed != null) ctx.header("Allow", allowed);
                ErrorMapping.error(ctx, status, "method " + method + " not allowed on " + ctx.path() + (allowed == null ? "" : " (it takes " + allowed + ")"), null);
            });
        }
        app.start(settings.host(), settings.port());
        return new LiveServer(app, drain, floor, connections[0]);
    }

    /**
     * A GET route and its HEAD twin running the same handler: Jetty sends a HEAD answer's status and headers without the
     * body. Javalin alone answers HEAD on any path a GET route matches with 200, without running it, so a HEAD for a model
     * that does not exist said it did.
     */
    private static void get(Javalin app, String path, io.javalin.http.Handler handler) {
        app.get(path, handler);
        app.head(path, handler);
    }

    /** Endpoints that change nothing, by their exact path: any other path (however spelled) a change is asked of is guarded. */
    private static final Set<String> READ_ONLY = Set.of("/health", "/metrics", "/metrics.json", "/openapi.json");

    private static final Set<HandlerType> MUTATING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH);

    private static void guard(Context ctx, Settings settings, boolean loopbackBind) {
        String path = ctx.path();
        boolean inference = path.equals("/predict") || path.startsWith("/v2/");
        if (inference) {
            long len = ctx.req().getContentLengthLong();
            if (len > settings.maxBodyBytes())
                throw new ApiException(413, "body of " + len + " bytes is above the limit of " + settings.maxBodyBytes() + " (--max-body)");
        } else if (!MUTATING.contains(ctx.method()) || READ_ONLY.contains(path)) {
            return; // reads, and changes asked of a read-only endpoint (its 405 says why): no token asked for
        } else if (!sameOrigin(ctx)) {
            // a browser page elsewhere may POST text or a form here without a preflight (a loopback runner without
            // --token would obey it); browsers name the page's origin, other clients send none
            throw new ApiException(403, "cross-origin request refused: Origin " + ctx.header("Origin") + " is not this runner's ("
                    + "calls that change the runner are taken from clients that send no Origin, or this runner's own)");
        } else if (loopbackBind && !isLoopback(hostName(ctx.header("Host")))) {
            // DNS rebinding: a page's own name made to resolve to 127.0.0.1 is same-origin with itself, Origin and all;
            // a loopback runner is only ever reached by a loopback name
            throw new ApiException(403, "Host " + ctx.header("Host") + " is not a name of this loopback runner (127.0.0.1, ::1, localhost): "
                    + "a change is taken only when addressed to it by one");
        } else if (settings.token().isPresent()) {
            int sent = java.util.Collections.list(ctx.req().getHeaders("Authorization")).size();
            // one field (RFC 9110): with two, which one a proxy or this runner reads is a guess, so neither is taken
            if (sent > 1) throw ApiException.badRequest("Authorization sent " + sent + " times: send it once");
            String auth = ctx.header("Authorization");
            // the scheme is case-insensitive (RFC 7235); the token is compared in constant time
            String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : null;
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), settings.token().get().getBytes(StandardCharsets.UTF_8))) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "this call changes the runner: send 'Authorization: Bearer <token>' (the --token given to serve)");
            }
        }
    }

    /** Answers up to this size are not counted against the body budget: errors, /health, a model's state. */
    static final int ANSWER_UNCOUNTED_BYTES = 16 << 10;

    /**
     * Counts the answer about to be written in place of the request's body, from now until Jetty has written it or given
     * up on it: a client that opens many connections and reads none of its answers (a model's outputs, a scrape of
     * /metrics) made the heap hold every one of them. The answer to a request that sent a body (POST, PUT: a model's
     * outputs) that does not fit beside what is held is replaced by a 429 with Retry-After, as its body would have been;
     * one larger than the whole budget is sent when nothing else is held. A read's answer is counted, so bodies are
     * refused while unread ones are held, but always sent (the document lists no 429 for a read). Run as an
     * after-handler: Javalin writes the answer after it (an async request's too, once its future is done).
     */
    private static void countAnswer(Context ctx, BodyBudget budget) {
        InputStream result = ctx.resultInputStream();
        long bytes = result instanceof java.io.ByteArrayInputStream b ? b.available() : 0;
        budget.giveBack(ctx.req()); // the body's bytes: read and answered by now
        if (bytes <= ANSWER_UNCOUNTED_BYTES || ctx.method() == HandlerType.HEAD) return;
        boolean refusable = ctx.method() == HandlerType.POST || ctx.method() == HandlerType.PUT;
        if (refusable ? budget.tryAcquireAnswer(bytes) : budget.acquire(bytes)) {
            BodyBudget.held(ctx.req()).add(bytes);
            return;
        }
        ctx.header("Retry-After", "1");
        ErrorMapping.error(ctx, 429, "server busy: an answer of " + bytes + " bytes would pass the " + budget.limit() + " bytes that request bodies "
                + "and answers not yet taken by their clients may hold (--max-body-in-flight); retry shortly", null);
    }

    /** The name in a Host header, without its port ("[::1]:80" is "::1"); empty when there is none. */
    static String hostName(String host) {
        if (host == null) return "";
        String h = host.trim();
        if (h.startsWith("[")) return h.indexOf(']') > 0 ? h.substring(1, h.indexOf(']')) : h;
        int colon = h.indexOf(':');
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    /** localhost, or a literal loopback address (no name is looked up: a name the client chose could resolve anywhere). */
    static boolean isLoopback(String name) {
        if (name.equalsIgnoreCase("localhost")) return true;
        if (name.matches("127(\\.\\d{1,3}){3}")) return true;
        return name.equals("::1") || name.equalsIgnoreCase("0:0:0:0:0:0:0:1");
    }

    /** No Origin header (not a browser), or the origin this request was sent to. */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) return true;
        String host = ctx.header("Host");
        return host != null && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host));
    }

    /** Each path of the OpenAPI document (its parameters as one segment each) and the methods it takes, HEAD with GET. */
    static Map<java.util.regex.Pattern, String> allowedMethods(byte[] openapi) {
        Map<java.util.regex.Pattern, String> out = new java.util.LinkedHashMap<>();
        try {
            Json.MAPPER.readTree(openapi).path("paths").fields().forEachRemaining(path -> {
                java.util.TreeSet<String> methods = new java.util.TreeSet<>();
                path.getValue().fieldNames().forEachRemaining(m -> methods.add(m.toUpperCase(java.util.Locale.ROOT)));
                if (methods.contains("GET")) methods.add("HEAD");
                StringBuilder regex = new StringBuilder();
                for (String part : path.getKey().split("(?=\\{)|(?<=\\})"))
                    regex.append(part.startsWith("{") ? "[^/]+" : java.util.regex.Pattern.quote(part));
                out.put(java.util.regex.Pattern.compile(regex.toString()), String.join(", ", methods));
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The protocol's server metadata: name, version (the API's, from the OpenAPI document) and the extensions served. */
    private static Map<String, Object> serverMetadata(byte[] openapi) {
        String version;
        try {
            version = Json.MAPPER.readTree(openapi).path("info").path("version").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("name", "prescale", "version", version, "extensions", List.of("binary_tensor_data"));
    }

    static byte[] openApiDocument() {
        try (InputStream in = LiveServer.class.getResourceAsStream("/io/prescale/live/openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body rate floor bodies are read under (bytes per second, 0: none). */
    public long minRequestBytesPerSecond() {
        return floor.bytesPerSecond();
    }

    public int port() {
        return app.port();
    }

    /** Connections open now (accepted, or being accepted), as {@link Settings#maxConnections()} limits them. */
    public int connectionsOpen() {
        return connections.getConnections();
    }

    /** Whether new connections are being accepted: false while {@link Settings#maxConnections()} are open. */
    public boolean acceptingConnections() {
        return java.util.Arrays.stream(app.jettyServer().server().getConnectors())
                .allMatch(c -> !(c instanceof org.eclipse.jetty.server.AbstractConnector a) || a.isAccepting());
    }

    /** Requests being answered now (a queued one until its answer is complete). */
    public int requestsInFlight() {
        return drain.inFlight();
    }

    /** Whether a stop has begun (new requests are answered 503). */
    public boolean stopping() {
        return drain.stopping();
    }

    /** Stops gracefully, waiting at most {@link #DEFAULT_DRAIN_TIMEOUT} for the requests in flight. */
    @Override
    public void close() {
        close(DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Stops gracefully: new requests are answered 503 with Retry-After (and the connection closed), those in flight are
     * answered as usual for at most {@code grace}, then the server stops (what is still in flight then is cut off).
     * Returns whether every request in flight was answered.
     */
    public boolean close(java.time.Duration grace) {
        drain.stop();
        boolean drained;
        try {
            drained = drain.awaitIdle(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        app.stop();
        return drained;
    }
}
