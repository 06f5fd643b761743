package io.prescale.forecasting.spark;

import io.prescale.core.config.Durations;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.backtest.SeriesData;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates a trace into one series of counts per model at the forecasting interval. Requests are
 * binned by arrival time; interval counts are summed into the bins they fall in (an interval that starts off the
 * bins' grid, 00:05-00:15 on a 10-minute grid, is shared between the two bins it overlaps in proportion to the
 * overlap), and a bin touched by a gap interval is masked (NaN). All series share the trace's overall span, so bins of
 * a request trace with no request are zero demand, while bins of an interval trace that its records do not cover
 * whole (no record, or records for only part of the bin) are masked: part of a bin's demand is not its demand. So are
 * the first and last bins of a request trace, which it covers only from its first request and up to its last: the
 * first unless that request is on the grid, the last always (it ends after the last request).
 */
public final class TraceSeries {
    private TraceSeries() {}

    /** Everything read: the series (sorted by name) and the trace's own interval (null for request traces). */
    public record Loaded(List<SeriesData> series, Duration traceInterval, long records, long skippedRows) {}

    /** The sum of {@code parts} on their common grid (a bin is masked when any part is masked there). */
    public static SeriesData sum(String name, List<SeriesData> parts) {
        Instant start = parts.stream().map(SeriesData::start).min(Instant::compareTo).orElseThrow();
        Duration interval = parts.get(0).interval();
        long step = interval.toNanos();
        int n = 0;
        for (SeriesData p : parts) n = Math.max(n, (int) (Duration.between(start, p.start()).toNanos() / step) + p.length());
        double[] v = new double[n];
        for (SeriesData p : parts) {
            int off = (int) (Duration.between(start, p.start()).toNanos() / step);
            for (int i = 0; i < p.length(); i++) v[off + i] += p.values()[i];
        }
        return new SeriesData(name, start, interval, v);
    }

    /** The length of the trace's intervals (from its first record), or null for a request trace. */
    public static Duration nativeInterval(TraceSource source, ReadOptions options) {
        try (TraceReader reader = source.open(options)) {
            if (!reader.hasNext()) return null;
            return reader.next() instanceof TraceRecord.IntervalCount c ? c.length() : null;
        }
    }

    /** The trace's intervals do not add up to the forecasting interval (longer than it, or not a whole number of them in it). */
    public static final class IntervalMismatch extends IllegalArgumentException {
        IntervalMismatch(String message) {
            super(message);
        }
    }

    /** {@code nanos} of interval record {@code c} (of {@code length} ns) fall in bin {@code b}: its share of the count, and coverage. */
    private static void add(double[] b, TraceRecord.IntervalCount c, long nanos, long length) {
        b[3] += nanos;
        if (c.gap()) b[1] = 1;
        else b[0] += nanos == length ? c.count() : c.count() * ((double) nanos / length);
    }

    public static Loaded load(TraceSource source, Duration interval, ReadOptions options) {
        TimeGrid grid = new TimeGrid(interval);
        Map<String, Map<Long, double[]>> bins = new TreeMap<>();  // model -> bin -> {count, masked, seen, covered ns}
        long binNanos = interval.toNanos();
        long minBin = Long.MAX_VALUE, maxBin = Long.MIN_VALUE;
        Instant firstTime = null;
        Duration traceInterval = null;
        boolean perInterval = false;
        long records = 0, skipped;
        try (TraceReader reader = source.open(options)) {
            perInterval = reader.features().perInterval();
            while (reader.hasNext()) {
                TraceRecord r = reader.next();
                records++;
                long bin = grid.index(r.time());
                Map<Long, double[]> modelBins = bins.computeIfAbsent(r.model(), k -> new HashMap<>());
                double[] b = modelBins.computeIfAbsent(bin, k -> new double[4]);
                b[2] = 1;
                long lastBin = bin;
                if (r instanceof TraceRecord.IntervalCount c) {
                    if (traceInterval == null) traceInterval = c.length();
                    if (c.length().compareTo(interval) > 0 || binNanos % c.length().toNanos() != 0)
                        throw new IntervalMismatch(source.id() + " has " + Durations.format(c.length()) + " intervals: the forecasting interval, "
                                + Durations.format(interval) + ", must be a whole number of them");
                    // the part of [start, start + length) in this bin and, for an interval off the grid, the rest in the next
                    long length = c.length().toNanos();
                    long inFirst = Math.min(length, Duration.between(c.time(), grid.start(bin + 1)).toNanos());
                    add(b, c, inFirst, length);
                    if (inFirst < length) {
                        lastBin = bin + 1;
                        double[] next = modelBins.computeIfAbsent(lastBin, k -> new double[4]);
                        next[2] = 1;
                        add(next, c, length - inFirst, length);
                    }
                } else {
                    b[0] += 1;
                }
                if (firstTime == null || r.time().isBefore(firstTime)) firstTime = r.time();
                minBin = Math.min(minBin, bin);
                maxBin = Math.max(maxBin, lastBin);
            }
            skipped = reader.skippedRows();
        }
        if (records == 0) throw new IllegalArgumentException(source.id() + ": the trace holds no records");
        int n = (int) (maxBin - minBin + 1);
        List<SeriesData> out = new ArrayList<>();
        for (var e : bins.entrySet()) {
            double[] v = new double[n];
            Arrays.fill(v, perInterval ? Double.NaN : 0);
            for (var b : e.getValue().entrySet()) {
                double[] c = b.getValue();
                boolean partial = perInterval && c[3] < binNanos;
                v[(int) (b.getKey() - minBin)] = c[1] > 0 || partial ? Double.NaN : c[0];
            }
            if (!perInterval) {
                // a request trace covers its first request to its last: the bin its first request falls in began before
                // it (unless that request is on the grid) and the bin of its last request ends after it, so their counts
                // are part of a bin's demand (alibaba-genai at 1h: its first bin held 1 request of about 2 minutes)
                if (firstTime.isAfter(grid.start(minBin))) v[0] = Double.NaN;
                v[n - 1] = Double.NaN;
            }
            // interval traces: trim the masked head and tail a series never reported (e.g. 1-day models)
            int first = 0, last = n - 1;
            if (perInterval) {
                while (first < n && Double.isNaN(v[first]) && e.getValue().get(minBin + first) == null) first++;
                while (last > first && Double.isNaN(v[last]) && e.getValue().get(minBin + last) == null) last--;
            }
            if (first > last) continue;
            Instant start = grid.start(minBin + first);
            out.add(new SeriesData(e.getKey(), start, interval, Arrays.copyOfRange(v, first, last + 1)));
        }
        return new Loaded(out, traceInterval, records, skipped);
    }
}
