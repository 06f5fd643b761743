package io.prescale.app.fidelity;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.TraceSource;
import io.prescale.simulator.workload.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The exact arrivals both sides see: a trace window, its models mapped to served models, per-interval counts
 * drawn as seeded Poisson arrivals (as {@code prescale replay} does), and time compressed by the speed. Offsets
 * are seconds of compressed (wall) time since the window start; the live replay sends at them and the
 * simulator replays them as a request trace, so both sides get the same requests at the same times.
 */
public record ArrivalPlan(String traceId, List<Arrival> arrivals, List<String> servedModels, Map<String, Long> perTraceModel,
                          double wallSeconds) {

    public record Arrival(double offsetSeconds, String model) {}

    public ArrivalPlan {
        arrivals = List.copyOf(arrivals);
        servedModels = List.copyOf(servedModels);
    }

    /**
     * Reads [from, from + window) of the trace (from and window in trace time). {@code mapping} names the served
     * model of a trace model (null: skipped).
     */
    public static ArrivalPlan read(TraceSource source, Duration from, Duration window, double speed, long seed,
                                   Function<String, String> mapping, long maxRequests) {
        if (!(speed > 0) || Double.isInfinite(speed)) throw new ConfigException("--speed", "must be a finite number > 0");
        if (window.isNegative() || window.isZero()) throw new ConfigException("--window", "must be > 0");
        List<Arrival> out = new ArrayList<>();
        Map<String, Long> perTraceModel = new TreeMap<>();
        java.util.LinkedHashSet<String> served = new java.util.LinkedHashSet<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant start = null, end = null, last = null;
        boolean pastWindow = false;
        try (TraceReader reader = source.open(ReadOptions.STRICT)) {
            while (reader.hasNext()) {
                TraceRecord r = reader.next();
                if (start == null) {
                    start = r.time().plus(from);
                    end = start.plus(window);
                }
                Instant recordEnd = r instanceof TraceRecord.IntervalCount c ? r.time().plus(c.length()) : r.time();
                if (last == null || recordEnd.isAfter(last)) last = recordEnd;
                if (r instanceof TraceRecord.IntervalCount c) {
                    if (!r.time().plus(c.length()).isAfter(start)) continue;
                } else if (r.time().isBefore(start)) continue;
                if (!r.time().isBefore(end)) {
                    pastWindow = true;
                    break;
                }
                String model = mapping.apply(r.model());
                if (model == null) continue;
                List<Instant> times = new ArrayList<>();
                if (r instanceof TraceRecord.Request q) {
                    times.add(q.time());
                } else if (r instanceof TraceRecord.IntervalCount c && !c.gap()) {
                    long n = poisson(rnd, c.count());
                    long len = c.length().toNanos();
                    for (long i = 0; i < n; i++) {
                        Instant t = c.time().plusNanos((long) (rnd.nextDouble() * len));
                        if (!t.isBefore(start) && t.isBefore(end)) times.add(t);
                    }
                }
                for (Instant t : times) {
                    out.add(new Arrival(Duration.between(start, t).toNanos() / 1e9 / speed, model));
                    perTraceModel.merge(r.model(), 1L, Long::sum);
                    served.add(model);
                }
                if (out.size() > maxRequests)
                    throw new ConfigException("--window", "the window holds more than " + maxRequests + " requests: shorten it");
            }
        }
        if (start == null) throw new ConfigException("--trace", source.id() + " has no records");
        // a window past the trace's end would replay hours of silence in wall time: it ends with the trace
        if (!pastWindow && last != null && last.isBefore(end)) {
            if (!last.isAfter(start)) throw new ConfigException("--from", "starts after the trace ends (" + last + ")");
            Duration kept = Duration.between(start, last);
            System.err.printf(java.util.Locale.ROOT, "fidelity: the trace ends %s into the window; replaying that, not %s%n",
                    Durations.format(kept), Durations.format(window));
            window = kept;
        }
        if (out.isEmpty()) throw new ConfigException("--window", "no requests of a mapped model in the window (check --from, --window, --map)");
        out.sort(java.util.Comparator.comparingDouble(Arrival::offsetSeconds));
        return new ArrivalPlan(source.id(), out, new ArrayList<>(served), perTraceModel, window.toNanos() / 1e9 / speed);
    }

    public long count(String model) {
        return arrivals.stream().filter(a -> a.model().equals(model)).count();
    }

    /**
     * The plan as the simulator's workload: one request per arrival, on the served model, with no service time
     * or tokens of its own (so the simulator serves each with the profiled batch-of-one time, as the live
     * replicas do: every request carries the same input). Time 0 of the plan is {@code epoch}.
     */
    public Workload toWorkload(Instant epoch) {
        return toWorkload(epoch, Map.of(), 0, 0);
    }

    /**
     * As {@link #toWorkload(Instant)}, with each request of a model in {@code meanServiceSeconds} carrying its own
     * service time: that mean times a lognormal factor of mean 1 and coefficient of variation {@code cv} (seeded),
     * so the simulator's replicas vary from run to run as the live ones do. {@code cv} 0: every request the mean.
     */
    public Workload toWorkload(Instant epoch, Map<String, Double> meanServiceSeconds, double cv, long seed) {
        double sigma = Math.sqrt(Math.log(1 + cv * cv)), mu = -sigma * sigma / 2;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5E7L);
        List<TraceRecord> records = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            Double mean = meanServiceSeconds.get(a.model());
            double service = mean == null ? Double.NaN : cv > 0 ? mean * Math.exp(mu + sigma * gaussian(rnd)) : mean;
            records.add(new TraceRecord.Request(epoch.plusNanos(Math.round(a.offsetSeconds() * 1e9)), a.model(), service, -1, -1));
        }
        Iterator<TraceRecord> it = records.iterator();
        return Workload.load("fidelity:" + traceId, new TraceReader() {
            @Override public TraceFeatures features() { return new TraceFeatures(false, false, false, false, false); }
            @Override public long skippedRows() { return 0; }
            @Override public void close() {}
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public TraceRecord next() { return it.next(); }
        });
    }

    /** A standard normal draw (Box-Muller). */
    static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    static long poisson(SplittableRandom rnd, double mean) {
        if (mean <= 0) return 0;
        if (mean > 50) {
            double g = gaussian(rnd);
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * g));
        }
        double l = Math.exp(-mean), p = 1;
        long k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
