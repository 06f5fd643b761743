package io.prescale.datasets.read;

import io.prescale.core.config.Durations;
import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.datasets.ReadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ServeGen per-client rates ({@code client_rates_10min_top20.csv}): one {@link IntervalCount} per
 * row for model {@code <model>/<client_id>} (neither may hold a '/', which would make the id ambiguous), count = {@code rate_rps × 600}, time =
 * {@link Instant#EPOCH} + {@code window_start_s}. The window's fitted inter-arrival distribution
 * ({@code iat_dist} Gamma or Weibull with {@code iat_p1}, {@code iat_p2}) becomes the record's
 * {@link ArrivalShape}; an empty {@code iat_dist} (the client was idle) means Poisson.
 *
 * <p>A window in which every client of a model in the file has rate 0 is a collection gap and is
 * flagged on all of that model's clients (these are exactly ServeGen's all-zero windows: 84 for
 * m-mid, 37 for m-small). A single idle client is ordinary zero demand.
 *
 * <p>The file is grouped by client (120,960 rows, 10 MB). Flagging gaps needs every client of a window
 * anyway, so the file is read whole and sorted by (time, model id): about 15 MB of records.
 */
public final class ServeGenClientReader extends LoadedTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(true, false, false, true, true);
    /** ServeGen windows are 10 minutes long (the file has no length column). */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    public ServeGenClientReader(Path file, ReadOptions options) {
        this(load(file, options));
    }

    private ServeGenClientReader(Loaded loaded) {
        super(FEATURES, loaded.records, loaded.skipped);
    }

    private record Loaded(List<IntervalCount> records, long skipped) {}

    private record Row(String baseModel, IntervalCount record) {}

    private record Window(String baseModel, Instant start) {}

    private static Loaded load(Path file, ReadOptions options) {
        List<Row> rowsRead = new ArrayList<>();
        Map<String, String> ids = new HashMap<>(); // one String per series id
        Set<Window> activeWindows = new HashSet<>(); // windows in which some client of the model has rate > 0
        Map<String, java.util.TreeMap<Instant, Long>> windows = new HashMap<>(); // series id -> its window starts -> line
        long skipped;
        try (CsvRows rows = new CsvRows(file, options,
                List.of("model", "client_id", "window_start_s", "rate_rps", "iat_dist", "iat_p1", "iat_p2"))) {
            int model = rows.column("model");
            int client = rows.column("client_id");
            int start = rows.column("window_start_s");
            int rate = rows.column("rate_rps");
            int dist = rows.column("iat_dist");
            int p1 = rows.column("iat_p1");
            int p2 = rows.column("iat_p2");
            double windowSeconds = Durations.seconds(WINDOW);
            Row r;
            while ((r = rows.next((row, line) -> {
                String base = noSlash(Fields.modelName(row.get(model), "model"), "model");
                String id = ids.computeIfAbsent(base + "/" + noSlash(Fields.nonEmpty(row.get(client), "client_id"), "client_id"), k -> k);
                double rps = Fields.nonNegativeDouble(row.get(rate), "rate_rps");
                ArrivalShape shape = shape(row.get(dist), row.get(p1), row.get(p2));
                Instant t = Instant.EPOCH.plus(Durations.ofSeconds(Fields.nonNegativeDouble(row.get(start), "window_start_s")));
                Timestamps.endInRange(t, WINDOW, "window_start_s");
                // a repeated row, or a window starting inside another (300 after 0), gives one client two overlapping windows, whose
                // arrivals interleave out of order: the simulator stopped mid-run on "arrivals of model 'm/1' out of time order"
                java.util.TreeMap<Instant, Long> own = windows.computeIfAbsent(id, k -> new java.util.TreeMap<>());
                if (own.containsKey(t)) throw new BadRowException("client '" + id + "' has a second row for window_start_s " + t.getEpochSecond());
                var before = own.lowerEntry(t);
                var after = own.higherEntry(t);
                var other = before != null && before.getKey().plus(WINDOW).isAfter(t) ? before
                        : after != null && t.plus(WINDOW).isAfter(after.getKey()) ? after : null;
                if (other != null)
                    throw new BadRowException("window of client '" + id + "' at window_start_s " + t.getEpochSecond() + " overlaps its window at "
                            + other.getKey().getEpochSecond() + " (line " + other.getValue() + "): windows are " + WINDOW.toSeconds() + " s long");
                own.put(t, line);
                return new Row(base, new IntervalCount(t, WINDOW, id, Fields.countOf(rps, windowSeconds, "rate_rps"), shape, false));
            })) != null) {
                rowsRead.add(r);
                if (r.record.count() > 0) activeWindows.add(new Window(r.baseModel, r.record.time()));
            }
            skipped = rows.skipped();
        }
        List<IntervalCount> records = new ArrayList<>(rowsRead.size());
        for (Row r : rowsRead) {
            IntervalCount c = r.record;
            boolean gap = !activeWindows.contains(new Window(r.baseModel, c.time()));
            records.add(gap ? new IntervalCount(c.time(), c.length(), c.model(), 0, ArrivalShape.POISSON, true) : c);
        }
        records.sort(Comparator.comparing(IntervalCount::time).thenComparing(IntervalCount::model));
        return new Loaded(records, skipped);
    }

    /**
     * The series id is {@code <model>/<client_id>}: with a '/' in either, model {@code a/b} with client {@code c} and model
     * {@code a} with client {@code b/c} would be one series. ServeGen's names cannot hold one (the model is a folder and the
     * client id part of a file name in the upstream repository), so a name that does is refused.
     */
    private static String noSlash(String name, String field) throws BadRowException {
        if (name.indexOf('/') >= 0)
            throw new BadRowException(field + " holds a '/' ('" + Fields.shown(name) + "'): a client's series is named <model>/<client_id>, "
                    + "so the '/' would make two (model, client) pairs one series");
        return name;
    }

    private static ArrivalShape shape(String dist, String p1, String p2) throws BadRowException {
        String d = dist.trim();
        if (d.isEmpty()) return ArrivalShape.POISSON;
        ArrivalShape.Kind kind = switch (d.toLowerCase(java.util.Locale.ROOT)) {
            case "gamma" -> ArrivalShape.Kind.GAMMA;
            case "weibull" -> ArrivalShape.Kind.WEIBULL;
            default -> throw new BadRowException("iat_dist must be Gamma, Weibull or empty, got '" + d + "'");
        };
        double a = Fields.finiteDouble(p1, "iat_p1");
        double b = Fields.finiteDouble(p2, "iat_p2");
        if (!(a > 0 && b > 0)) throw new BadRowException("iat_dist " + d + " needs positive iat_p1, iat_p2, got " + a + ", " + b);
        return new ArrivalShape(kind, a, b);
    }
}
