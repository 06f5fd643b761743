package io.prescale.live.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import io.prescale.live.bench.OpenLoopSender;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code prescale replay}: drives a running {@code prescale serve} over HTTP with a trace's arrivals, time
 * compressed by {@code --speed}. Per-request traces replay as they are; per-interval counts are spread as
 * seeded Poisson arrivals inside each interval. Latency is measured from each request's due time, so a
 * lagging load generator does not hide queueing (no coordinated omission).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a trace against a live runner: prescale replay --trace alibaba-genai --target http://127.0.0.1:8080 --speed 600"},
        footer = {"", "Examples:",
                "  prescale replay --trace alibaba-genai --speed 600 --map M0002=mlp \\",
                "      --max-requests 5000",
                "  prescale replay --trace servegen --from 7d --duration 1h --rate-scale 0.001 \\",
                "      --default-model mlp --out replay.json",
                "Prints per model the requests sent, answered 200 / 429 / 4xx / 5xx or not answered, and the answered ones' p50/p95/p99 latency; --out writes them as JSON."})
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--trace", paramLabel = "NAME|FORMAT:PATH", required = true, description = "NAME (a shared trace, or synthetic) or FORMAT:PATH")
    String trace;

    @Option(names = "--target", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080", description = "the runner's base URL (default ${DEFAULT-VALUE})")
    URI target;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1", description = "time compression: 600 plays 10 trace minutes per second (default ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--map", paramLabel = "TRACE_MODEL=SERVED_MODEL", split = "\\s*,\\s*", splitSynopsisLabel = ",", description = "trace-model=served-model (repeatable); other trace models go to --default-model, or are skipped")
    Map<String, String> map = new LinkedHashMap<>();

    @Option(names = "--default-model", paramLabel = "NAME", description = "served model for trace models not in --map (default: the only registered model, if there is one)")
    String defaultModel;

    @Option(names = "--from", paramLabel = "DURATION", defaultValue = "0s", description = "skip this much trace time from its start (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = {"--duration", "--window"}, paramLabel = "DURATION", defaultValue = "10m", description = "trace time to replay (default ${DEFAULT-VALUE}; --window as fidelity names it)")
    String duration;

    @Option(names = "--rate-scale", paramLabel = "X", defaultValue = "1", description = "keep this share of arrivals, seeded (default ${DEFAULT-VALUE})")
    double rateScale;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "1000000", description = "stop after this many requests (default ${DEFAULT-VALUE})")
    long maxRequests;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "32", description = "keep-alive connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--input", paramLabel = "NAME=D1,D2[@VALUE]", description = "name=d1,d2[@value]: shape/value for an input of the served models (symbolic dims default to 1); repeatable")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "shared data folder (default: $PRESCALE_DATA or ../shared/datasets)")
    Path data;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seeds the arrivals drawn in count intervals, --rate-scale's sampling and the random inputs (default ${DEFAULT-VALUE})") long seed;

    @Option(names = "--skip-bad-rows", description = "skip malformed trace rows instead of stopping")
    boolean skipBadRows;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the summary as JSON here")
    Path out;

    private static final class Stats {
        long sent, ok, rejected, clientErrors, serverErrors, failed;
        final Histogram latency = new Histogram(3);
    }

    /** "localhost:8080" read as a URI of scheme "localhost" and failed with "URI with undefined scheme". */
    static void checkTarget(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme();
        if (scheme.equals("https"))
            throw new ConfigException("--target", "'" + target + "': replay sends plain HTTP (the runner serves no TLS); give its http:// URL");
        if (!scheme.equals("http") || target.getHost() == null)
            throw new ConfigException("--target", "'" + target + "' is not a runner's URL such as http://127.0.0.1:8080");
    }

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0) || Double.isInfinite(speed)) throw new ConfigException("--speed", "must be a finite number > 0");
        if (!(rateScale > 0 && rateScale <= 1)) throw new ConfigException("--rate-scale", "must be in (0, 1]");
        if (connections < 1 || connections > 1024) throw new ConfigException("--connections", "must be in [1, 1024]");
        checkTarget(target);
        // a folder given as --out failed only when the summary was written, after the whole replay had run
        if (out != null && Files.isDirectory(out)) throw new ConfigException("--out", out + " is a folder: give the JSON file's path");
        inputOverrides(inputs); // a malformed --input fails before any request, not as a NumberFormatException mid-replay
        Duration skip = Durations.parseOption("--from", from), length = Durations.parseOption("--duration", duration);
        if (skip.isNegative()) throw new ConfigException("--from", "must be >= 0");
        if (length.isNegative() || length.isZero()) throw new ConfigException("--duration", "must be > 0");
        Path dataDir = data != null ? data : SharedTraces.findDataDir(Optional.empty(), io.prescale.core.config.ProjectHome.root()).orElse(null);
        TraceSource source = SharedTraces.resolve(trace, dataDir);
        Map<String, byte[]> bodies = new HashMap<>();
        Map<String, Stats> stats = new TreeMap<>();
        OpenLoopSender sender = new OpenLoopSender(target, "/predict", connections, connections * 64, "replay", false,
                (model, code, micros, server) -> count(stats, model, code, micros));
        java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(2); // skipped (the sender's queue stayed full), planned
        boolean cutShort; // --max-requests stopped the read before the window's end
        Map<String, Long> unmapped = new java.util.concurrent.ConcurrentSkipListMap<>(); // read by the interrupt's summary too
        Map<String, String> routes = new TreeMap<>(); // trace model -> served model
        // every served model's body is built before the clock starts: built at its first arrival, its metadata fetch (a
        // first HTTP client's start-up, hundreds of ms) delayed that model's first requests, counted as their latency
        if (defaultModel == null) defaultModel = onlyRegisteredModel();
        Set<String> servedModels = new TreeSet<>(map.values());
        if (!defaultModel.isEmpty()) servedModels.add(defaultModel);
        for (String model : servedModels) bodies.computeIfAbsent(model, this::body);
        long start = System.nanoTime() + 200_000_000L;
        // Ctrl-C (or a TERM) mid-replay printed nothing: every answer counted so far was lost. The summary of what was
        // answered by then is printed (and --out written) as the process stops.
        java.util.concurrent.atomic.AtomicBoolean summarised = new java.util.concurrent.atomic.AtomicBoolean();
        Thread onStop = new Thread(() -> {
            if (!summarised.compareAndSet(false, true)) return;
            synchronized (sender) { // the sender counts each answer under its lock
                try {
                    print(source, stats, counts.get(1), counts.get(0), unmapped, (System.nanoTime() - start) / 1e9, true);
                } catch (IOException e) {
                    System.err.println("replay: cannot write " + out + ": " + e.getMessage());
                }
                System.out.flush();
            }
        }, "replay-interrupted");
        shutdownHooks.accept(onStop);
        Room room = new Room(Duration.ofSeconds(5).toNanos());
        try (TraceReader reader = source.open(skipBadRows ? ReadOptions.SKIP_BAD_ROWS : ReadOptions.STRICT)) {
            cutShort = arrivals(reader, skip, length, unmapped, routes, (at, first, served) -> {
                if (counts.get(1) >= maxRequests) return false;
                byte[] body = bodies.computeIfAbsent(served, this::body);
                long due = start + (long) (Duration.between(first, at).toNanos() / speed);
                if (!room.take(wait -> sender.sendAt(served, due, body, wait, TimeUnit.NANOSECONDS))) counts.incrementAndGet(0);
                else counts.incrementAndGet(1);
                return true;
            });
            badRows = reader.skippedRows();
        } catch (Exception | Error e) { // a bad row, a model the runner lacks: its error, not a summary of an interrupted run
            if (summarised.compareAndSet(false, true)) removeShutdownHook.accept(onStop);
            throw e;
        }
        long skipped = counts.get(0), planned = counts.get(1);
        // the answers still due, waited for as a whole: a runner that hung with its connections open held the end for a
        // read timeout (120 s) per queued request, one after another, before
        boolean answered = sender.close(ANSWERS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!answered)
            System.err.println("replay: stopped waiting for answers " + Durations.format(ANSWERS_WAIT) + " after the last request was due:"
                    + " those still due are counted with no answer");
        double wall = (System.nanoTime() - start) / 1e9;
        if (!summarised.compareAndSet(false, true)) return 130; // stopping: the summary is the hook's
        removeShutdownHook.accept(onStop);
        print(source, stats, planned, skipped, unmapped, wall, false);
        if (!routes.isEmpty())
            System.out.println("trace model -> served model: " + routes.entrySet().stream().limit(8).map(e -> e.getKey() + " -> " + e.getValue()
                    + (map.containsKey(e.getKey()) ? "" : " (default)")).collect(java.util.stream.Collectors.joining(", ")) + (routes.size() > 8 ? ", ..." : ""));
        TreeSet<String> seen = new TreeSet<>(routes.keySet());
        seen.addAll(unmapped.keySet());
        for (String key : map.keySet())
            if (!seen.contains(key) && !cutShort)
                System.err.println("replay: --map " + key + "=" + map.get(key) + ": the window has no request of trace model '" + key + "'"
                        + " (its models: " + (seen.size() <= 8 ? seen : seen.size() + ", e.g. " + seen.first()) + ")");
        sender.firstErrors().forEach((model, error) -> System.err.println("replay: first failed answer for " + model + ": " + error));
        // a replay that sent nothing, or whose every request failed, measured nothing: say so in the exit status
        long ok = stats.values().stream().mapToLong(x -> x.ok).sum();
        if (planned == 0) {
            System.err.println("replay: no request was sent (no trace request of a served model in the window; check --from, --duration, --map)");
            return 1;
        }
        if (ok == 0) {
            System.err.println("replay: no request succeeded (see the first failed answers above; check --input against the model's inputs)");
            return 1;
        }
        return 0;
    }

    /** How long the replay waits, in all, for the answers still due after its last request was due. */
    static final Duration ANSWERS_WAIT = Duration.ofSeconds(120);

    /**
     * How long an arrival waits for room on the sender's full queue: 5 s, then the arrivals after one that waited in
     * vain are dropped at once until one finds room. Each waited 5 s: with the runner hung mid-replay (its connections
     * open, no answer), every arrival of the rest of the trace cost 5 s, hours for a trace's thousands, the replay
     * apparently stuck.
     */
    static final class Room {
        /** Queues one arrival, waiting at most the nanoseconds given; false when there was no room. */
        @FunctionalInterface
        interface Queue {
            boolean offer(long waitNanos) throws InterruptedException;
        }

        private final long waitNanos;
        private boolean full;

        Room(long waitNanos) {
            this.waitNanos = waitNanos;
        }

        boolean take(Queue q) throws InterruptedException {
            boolean queued = q.offer(full ? 0 : waitNanos);
            full = !queued;
            return queued;
        }
    }

    /** Told of each arrival in time order: its trace time, the window's start, the served model; false stops the replay. */
    @FunctionalInterface
    interface ArrivalSink {
        boolean arrive(Instant at, Instant windowStart, String served) throws InterruptedException;
    }

    /**
     * The window's arrivals, in time order, to {@code sink}; true when the sink stopped them before the window's end.
     * A count interval's arrivals are drawn across its length, so they are held until no record still to come can
     * start before them: the rows of one interval start come one model after another, and sending each model's
     * arrivals as its row was read put every model's but the first's after the first's whole interval, as a burst
     * (their latency, counted from the due time, then included the lag).
     */
    boolean arrivals(TraceReader reader, Duration skip, Duration length, Map<String, Long> unmapped, Map<String, String> routes,
                     ArrivalSink sink) throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant windowStart = null, windowEnd = null;
        record Pending(Instant at, long order, String served) {}
        java.util.PriorityQueue<Pending> pending = new java.util.PriorityQueue<>(
                java.util.Comparator.comparing(Pending::at).thenComparingLong(Pending::order));
        long order = 0;
        while (reader.hasNext()) {
            TraceRecord r = reader.next();
            if (windowStart == null) {
                windowStart = r.time().plus(skip);
                windowEnd = windowStart.plus(length);
            }
            // a count interval that began before the window but runs into it has arrivals in it (as fidelity reads a window):
            // skipped whole, a --from inside an hour-long interval lost the window's first part
            if (r instanceof TraceRecord.IntervalCount c ? !r.time().plus(c.length()).isAfter(windowStart) : r.time().isBefore(windowStart)) continue;
            if (!r.time().isBefore(windowEnd)) break;
            // records come in time order: nothing still to be read can arrive before this one's time
            while (!pending.isEmpty() && pending.peek().at().isBefore(r.time())) {
                Pending p = pending.poll();
                if (!sink.arrive(p.at(), windowStart, p.served())) return true;
            }
            String served = served(r.model());
            if (served == null) {
                unmapped.merge(r.model(), 1L, Long::sum);
                continue;
            }
            routes.putIfAbsent(r.model(), served);
            if (r instanceof TraceRecord.Request q) {
                if (rnd.nextDouble() < rateScale) pending.add(new Pending(q.time(), order++, served));
            } else if (r instanceof TraceRecord.IntervalCount c && !c.gap()) {
                long n = poisson(rnd, c.count() * rateScale);
                long lenNanos = c.length().toNanos();
                for (long i = 0; i < n; i++) {
                    Instant at = c.time().plusNanos((long) (rnd.nextDouble() * lenNanos));
                    // only the window's: an interval longer than --duration sent all of its arrivals (--duration 10m
                    // of an hourly trace replayed the hour)
                    if (!at.isBefore(windowStart) && at.isBefore(windowEnd)) pending.add(new Pending(at, order++, served));
                }
            }
        }
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            if (!sink.arrive(p.at(), windowStart, p.served())) return true;
        }
        return false;
    }

    private String served(String traceModel) {
        String m = map.get(traceModel);
        if (m != null) return m;
        if (defaultModel == null) defaultModel = onlyRegisteredModel();
        return defaultModel.isEmpty() ? null : defaultModel;
    }

    private String onlyRegisteredModel() {
        JsonNode models = get("/models").path("models");
        return models.size() == 1 ? models.get(0).path("name").asText() : "";
    }

    /** The --input flags by input name, each checked: {@code name=d1,d2[@value]} with whole dimensions and a numeric value. */
    static Map<String, String> inputOverrides(List<String> flags) {
        Map<String, String> over = new HashMap<>();
        for (String s : flags) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new ConfigException("--input", "expected name=d1,d2[@value], got " + s);
            String spec = s.substring(eq + 1);
            int at = spec.indexOf('@');
            String shape = at >= 0 ? spec.substring(0, at) : spec;
            if (!shape.isBlank())
                for (String d : shape.split(",", -1))
                    if (!d.trim().matches("[0-9]{1,9}"))
                        throw new ConfigException("--input", s + ": dimension '" + d.trim() + "' is not a whole number (expected name=d1,d2[@value])");
            if (at >= 0) {
                try {
                    Double.parseDouble(spec.substring(at + 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException("--input", s + ": value '" + spec.substring(at + 1) + "' is not a number (expected name=d1,d2[@value])");
                }
            }
            over.put(s.substring(0, eq), spec);
        }
        return over;
    }

    /** A request body for {@code model} from its metadata: symbolic dims 1, floats random in [0,1), overrides from --input. */
    private byte[] body(String model) {
        // the name as one path segment: "a#b" looked up model "a" (the rest a fragment), "my model" failed as "Illegal character in path"
        JsonNode meta = get("/v2/models/" + java.net.URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20"));
        if (meta.has("error"))
            throw new ConfigException(map.containsValue(model) ? "--map" : "--default-model", "served model '" + model + "': " + meta.path("error").asText());
        Map<String, String> over = inputOverrides(inputs);
        List<String> names = new ArrayList<>();
        meta.path("inputs").forEach(in -> names.add(in.path("name").asText()));
        // when every trace model goes to this one model, an --input it lacks is a typo: sending would only collect 400s
        Set<String> targets = new HashSet<>(map.values());
        if (defaultModel != null && !defaultModel.isEmpty()) targets.add(defaultModel);
        if (targets.equals(Set.of(model)))
            for (String name : over.keySet())
                if (!names.contains(name))
                    throw new ConfigException("--input", "served model '" + model + "' has no input '" + name + "' (its inputs: " + String.join(", ", names) + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder("{\"model\":\"").append(model).append("\",\"inputs\":{");
        boolean first = true;
        for (JsonNode in : meta.path("inputs")) {
            String name = in.path("name").asText(), type = in.path("datatype").asText();
            List<Long> dims = new ArrayList<>();
            in.path("shape").forEach(d -> dims.add(d.asLong() < 0 ? 1 : d.asLong()));
            Double value = null;
            String o = over.get(name);
            if (o != null) {
                int at = o.indexOf('@');
                if (at >= 0) value = Double.parseDouble(o.substring(at + 1));
                String shape = at >= 0 ? o.substring(0, at) : o;
                dims.clear();
                if (!shape.isBlank()) for (String d : shape.split(",")) dims.add(Long.parseLong(d.trim()));
            }
            long n = dims.stream().reduce(1L, (x, y) -> x * y);
            if (!first) b.append(',');
            first = false;
            b.append('"').append(name).append("\":{\"shape\":").append(dims).append(",\"data\":[");
            for (long i = 0; i < n; i++) {
                if (i > 0) b.append(',');
                boolean floating = type.startsWith("FP");
                if (value != null) b.append(floating ? value.toString() : Long.toString(value.longValue()));
                else if (type.equals("BOOL")) b.append("false");
                else b.append(floating ? String.format(Locale.ROOT, "%.4f", rnd.nextDouble()) : "0");
            }
            b.append("]}");
        }
        return b.append("}}").toString().replace(" ", "").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * How long a metadata read ({@code /models}, {@code /v2/models/NAME}) waits for its answer: without a limit, a port that
     * took the connection and never answered (a stopped or hung runner, another server) held the replay before its first
     * request, silently, for good. A test shortens it.
     */
    Duration answerTimeout = Duration.ofSeconds(30);

    private JsonNode get(String path) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(target.resolve(path)).timeout(answerTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(unreachable(target, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why the runner at {@code target} did not answer, in words: the HTTP client reports a refused connection and an
     * unknown host alike as a {@code ConnectException} with no message, their causes telling them apart.
     */
    static String unreachable(URI target, IOException e) {
        String why;
        if (causes(e, java.nio.channels.UnresolvedAddressException.class) || causes(e, java.net.UnknownHostException.class))
            why = "unknown host '" + target.getHost() + "'";
        else if (e instanceof java.net.http.HttpConnectTimeoutException) why = "no answer to the connection (timed out): is the host reachable?";
        else if (e instanceof java.net.http.HttpTimeoutException) why = "it took the connection but sent no answer (timed out): is it a runner, and is it running?";
        else if (e instanceof java.net.ConnectException) why = "connection refused (is `prescale serve` running on that port?)";
        else if (e.getMessage() != null) why = e.getMessage();
        else why = "the connection failed (is `prescale serve` running on that port?)";
        return "cannot reach " + target + ": " + why;
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }

    /** One answer in the per-model tally (called one at a time by the sender). */
    private static void count(Map<String, Stats> stats, String model, int code, long micros) {
        Stats st = stats.computeIfAbsent(model, k -> new Stats());
        st.sent++;
        if (code == 200) {
            st.ok++;
            st.latency.recordValue(micros);
        } else if (code == 429) st.rejected++;
        else if (code >= 400 && code < 500) st.clientErrors++;
        else if (code >= 500) st.serverErrors++;
        else st.failed++;
    }

    private static long poisson(SplittableRandom rnd, double mean) {
        if (mean <= 0) return 0;
        if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(rnd)));
        double l = Math.exp(-mean), p = 1;
        long k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static String msText(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.2f", ms);
    }

    /** The speed as given, without a rounding: "%.0fx" printed --speed 0.25 as "0x" and 1.5 as "2x". */
    static String speedLabel(double speed) {
        return java.math.BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString();
    }

    private volatile long badRows; // trace rows --skip-bad-rows skipped

    /** Where the summary-on-stop thread goes: the runtime's shutdown hooks (a test takes it to run itself). */
    java.util.function.Consumer<Thread> shutdownHooks = Runtime.getRuntime()::addShutdownHook;
    java.util.function.Consumer<Thread> removeShutdownHook = t -> {
        try {
            Runtime.getRuntime().removeShutdownHook(t);
        } catch (IllegalStateException stopping) {
            // the hook runs, and finds the summary printed
        }
    };

    private void print(TraceSource source, Map<String, Stats> stats, long planned, long skipped, Map<String, Long> unmapped, double wall,
                       boolean interrupted) throws IOException {
        if (interrupted)
            System.out.printf(Locale.ROOT, "replay interrupted after %.1f s: %d requests sent, answers so far below (requests still in flight are not counted)%n",
                    wall, planned);
        else System.out.printf(Locale.ROOT, "replayed %s at %sx: %d requests in %.1f s (%.1f req/s)%n", source.id(), speedLabel(speed), planned, wall, planned / wall);
        System.out.printf(Locale.ROOT, "%-24s %9s %9s %7s %7s %7s %9s %10s %10s %10s%n", "model", "sent", "ok", "429", "4xx", "5xx", "no answer", "p50 ms", "p95 ms", "p99 ms");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace", source.id());
        json.put("speed", speed);
        json.put("requests", planned);
        json.put("wallSeconds", wall);
        if (interrupted) json.put("interrupted", true);
        Map<String, Object> models = new LinkedHashMap<>();
        for (var e : stats.entrySet()) {
            Stats s = e.getValue();
            // latency is of the answered (200) requests: with none, there is none to give (it printed 0.00 ms, the best figure
            // of all, for a model whose every request was refused)
            Double p50 = null, p95 = null, p99 = null;
            if (s.ok > 0) {
                p50 = s.latency.getValueAtPercentile(50) / 1000.0;
                p95 = s.latency.getValueAtPercentile(95) / 1000.0;
                p99 = s.latency.getValueAtPercentile(99) / 1000.0;
            }
            // a request the runner never answered (refused or dropped connection, the runner down) is no 5xx: counted
            // as one, a replay against a stopped runner read as the runner failing
            System.out.printf(Locale.ROOT, "%-24s %9d %9d %7d %7d %7d %9d %10s %10s %10s%n", e.getKey(), s.sent, s.ok, s.rejected,
                    s.clientErrors, s.serverErrors, s.failed, msText(p50), msText(p95), msText(p99));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sent", s.sent);
            m.put("ok", s.ok);
            m.put("rejected429", s.rejected);
            m.put("clientErrors", s.clientErrors);
            m.put("serverErrors", s.serverErrors);
            m.put("noAnswer", s.failed);
            m.put("p50Ms", p50);
            m.put("p95Ms", p95);
            m.put("p99Ms", p99);
            models.put(e.getKey(), m);
        }
        json.put("models", models);
        if (skipped > 0) System.out.println("dropped by the load generator (its queue was full: it waited 5 s for room, then dropped arrivals until there was some): " + skipped);
        // --skip-bad-rows skipped them without a word: how much of the trace was not replayed, as simulate says it
        if (badRows > 0) {
            System.out.println("skipped malformed trace rows (--skip-bad-rows): " + badRows);
            json.put("skippedRows", badRows);
        }
        if (!unmapped.isEmpty()) {
            System.out.println("trace models without a served model (skipped; use --map or --default-model): " + unmapped.size()
                    + " " + unmapped.keySet().stream().limit(5).toList() + (unmapped.size() > 5 ? " ..." : ""));
            json.put("unmappedTraceModels", unmapped);
        }
        if (out != null) {
            if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
            System.out.println("wrote " + out);
        }
    }
}
