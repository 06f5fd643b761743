package io.prescale.simulator.workload;

import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace held in memory as compact per-model arrays, read once and replayed against every policy.
 * Request traces keep each request (time, service seconds, tokens); per-interval traces keep each
 * window (start, length, rate, arrival shape, gap). Times are seconds since {@link #origin()}.
 */
public final class Workload {

    /** Requests of one model, sorted by time. */
    public record RequestSeries(double[] time, float[] serviceSeconds, int[] inputTokens, int[] outputTokens) {
        public int size() { return time.length; }
    }

    /** Windows of one model, sorted by start. Rates are requests per second. */
    public record IntervalSeries(double[] start, double[] length, double[] rate, ArrivalShape[] shape, boolean[] gap) {
        public int size() { return start.length; }
    }

    private final String id;
    private final Instant origin;
    private final double end;
    private final double start;
    private final List<String> models;
    private final RequestSeries[] requests;
    private final IntervalSeries[] intervals;
    private final long skippedRows;

    private Workload(String id, Instant origin, double start, double end, List<String> models, RequestSeries[] requests,
                     IntervalSeries[] intervals, long skippedRows) {
        this.id = id;
        this.origin = origin;
        this.start = start;
        this.end = end;
        this.models = List.copyOf(models);
        this.requests = requests;
        this.intervals = intervals;
        this.skippedRows = skippedRows;
    }

    public String id() { return id; }
    public Instant origin() { return origin; }
    /** Seconds from the origin to the end of the last record. */
    public double end() { return end; }
    /**
     * Seconds from the origin to the trace's first record: 0 for a request trace; for an interval trace, whose origin
     * is the midnight before (so that {@code 1d} is a day boundary), the time nothing is known of before it starts.
     */
    public double start() { return start; }
    public List<String> models() { return models; }
    public boolean perInterval() { return intervals != null; }
    public RequestSeries requests(int model) { return requests[model]; }
    public IntervalSeries intervals(int model) { return intervals[model]; }
    public long skippedRows() { return skippedRows; }

    public Instant at(double seconds) {
        return origin.plusNanos(Math.round(seconds * 1e9));
    }

    public double seconds(Instant t) {
        return Duration.between(origin, t).toNanos() / 1e9;
    }

    /**
     * The trace's requests in [from, to) before any rate scale: counted for a request trace, and for a per-interval
     * trace each interval's count times the share of it inside the window (intervals without data count nothing).
     */
    public double requestsIn(double from, double to) {
        double n = 0;
        for (int m = 0; m < models.size(); m++) {
            if (perInterval()) {
                IntervalSeries s = intervals[m];
                for (int i = 0; i < s.size(); i++) {
                    if (s.gap()[i] || !(s.rate()[i] > 0)) continue;
                    double overlap = Math.min(to, s.start()[i] + s.length()[i]) - Math.max(from, s.start()[i]);
                    if (overlap > 0) n += s.rate()[i] * overlap;
                }
            } else {
                double[] t = requests[m].time();
                n += firstAtOrAfter(t, to) - firstAtOrAfter(t, from);
            }
        }
        return n;
    }

    /** The index of the first time in sorted {@code t} at or after {@code x}. */
    static int firstAtOrAfter(double[] t, double x) {
        int lo = 0, hi = t.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Reads the whole trace; the origin is the first record's time (floored to a whole day for interval traces). */
    public static Workload load(String id, TraceReader reader) {
        Map<String, Builder> byModel = new LinkedHashMap<>();
        Instant origin = null;
        boolean perInterval = reader.features().perInterval();
        double end = 0, start = Double.POSITIVE_INFINITY;
        try (reader) {
            while (reader.hasNext()) {
                TraceRecord r = reader.next();
                if (origin == null) origin = perInterval ? floorToDay(r.time()) : r.time();
                double t = Duration.between(origin, r.time()).toNanos() / 1e9;
                start = Math.min(start, t);
                Builder b = byModel.computeIfAbsent(r.model(), k -> new Builder());
                if (r instanceof TraceRecord.Request q) {
                    b.addRequest(t, q.serviceSeconds(), q.inputTokens(), q.outputTokens());
                    end = Math.max(end, t);
                } else if (r instanceof TraceRecord.IntervalCount c) {
                    double len = c.length().toNanos() / 1e9;
                    b.addInterval(t, len, c.count() / len, c.shape(), c.gap());
                    end = Math.max(end, t + len);
                }
            }
            if (origin == null) throw new IllegalArgumentException("trace " + id + " is empty: it has no records");
            List<String> models = new ArrayList<>(byModel.keySet());
            RequestSeries[] rs = perInterval ? null : new RequestSeries[models.size()];
            IntervalSeries[] is = perInterval ? new IntervalSeries[models.size()] : null;
            for (int i = 0; i < models.size(); i++) {
                Builder b = byModel.get(models.get(i));
                if (perInterval) is[i] = b.intervals();
                else rs[i] = b.requests();
            }
            if (!perInterval) end = Math.nextUp(end);
            return new Workload(id, origin, start, end, models, rs, is, reader.skippedRows());
        }
    }

    private static Instant floorToDay(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 86400) * 86400);
    }

    private static final class Builder {
        double[] a = new double[16];
        double[] b = new double[16];
        double[] c = new double[16];
        int[] x = new int[16];
        int[] y = new int[16];
        List<ArrivalShape> shapes = new ArrayList<>();
        boolean[] gap = new boolean[16];
        int n;

        void grow() {
            if (n == a.length) {
                int m = n * 2;
                a = java.util.Arrays.copyOf(a, m);
                b = java.util.Arrays.copyOf(b, m);
                c = java.util.Arrays.copyOf(c, m);
                x = java.util.Arrays.copyOf(x, m);
                y = java.util.Arrays.copyOf(y, m);
                gap = java.util.Arrays.copyOf(gap, m);
            }
        }

        void addRequest(double t, double svc, int in, int out) {
            grow();
            a[n] = t;
            b[n] = svc;
            x[n] = in;
            y[n] = out;
            n++;
        }

        void addInterval(double start, double len, double rate, ArrivalShape shape, boolean g) {
            grow();
            a[n] = start;
            b[n] = len;
            c[n] = rate;
            shapes.add(shape);
            gap[n] = g;
            n++;
        }

        RequestSeries requests() {
            float[] svc = new float[n];
            for (int i = 0; i < n; i++) svc[i] = (float) b[i];
            return new RequestSeries(java.util.Arrays.copyOf(a, n), svc, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
        }

        IntervalSeries intervals() {
            return new IntervalSeries(java.util.Arrays.copyOf(a, n), java.util.Arrays.copyOf(b, n), java.util.Arrays.copyOf(c, n),
                    shapes.toArray(new ArrivalShape[0]), java.util.Arrays.copyOf(gap, n));
        }
    }
}
