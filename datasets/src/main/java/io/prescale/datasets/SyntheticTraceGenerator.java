package io.prescale.datasets;

import io.prescale.core.config.Durations;
import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.core.trace.TraceRecord.Request;
import io.prescale.datasets.read.AbstractTraceReader;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A seeded synthetic multi-model trace for fixtures, tests and the no-data demo. Each model's rate is
 * {@code meanRps × daily(t) × weekly(t) × bursts(t) × noise}: a cosine daily cycle peaking at
 * {@code peakHourUtc}, weekends lowered by {@code weekendDip}, short promotions (bursts, 20 min – 3 h,
 * × 1.5 – 4) at random times, and log-normal noise per interval. The same config and seed always give
 * the same trace.
 */
public final class SyntheticTraceGenerator {

    /** One model's demand shape. {@code dailyAmplitude} and {@code weekendDip} are fractions in [0, 1). */
    public record ModelProfile(String model, double meanRps, double dailyAmplitude, double peakHourUtc,
                               double weekendDip, double burstsPerWeek, double serviceSeconds,
                               int inputTokens, int outputTokens) {
        public ModelProfile {
            if (model == null || model.isBlank()) throw new IllegalArgumentException("model name is empty");
            if (!(meanRps > 0)) throw new IllegalArgumentException(model + ": meanRps must be positive");
            if (dailyAmplitude < 0 || dailyAmplitude >= 1) throw new IllegalArgumentException(model + ": dailyAmplitude must be in [0, 1)");
            if (weekendDip < 0 || weekendDip >= 1) throw new IllegalArgumentException(model + ": weekendDip must be in [0, 1)");
            if (burstsPerWeek < 0) throw new IllegalArgumentException(model + ": burstsPerWeek must be >= 0");
        }
    }

    /** The whole trace: seed, start, span, interval length, models and the noise's log-sigma. */
    public record Config(long seed, Instant start, Duration span, Duration interval, List<ModelProfile> models,
                         double noiseSigma) {
        public Config {
            models = List.copyOf(models);
            if (models.isEmpty()) throw new IllegalArgumentException("no models");
            if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("interval must be positive");
            if (span.compareTo(interval) < 0) throw new IllegalArgumentException("span shorter than one interval");
            if (noiseSigma < 0) throw new IllegalArgumentException("noiseSigma must be >= 0");
        }

        public Config withSpan(Duration newSpan) {
            return new Config(seed, start, newSpan, interval, models, noiseSigma);
        }

        public Config withInterval(Duration newInterval) {
            return new Config(seed, start, span, newInterval, models, noiseSigma);
        }
    }

    /** A short promotion: {@code multiplier} × the usual rate during [start, start + length). */
    public record Burst(String model, Instant start, Duration length, double multiplier) {
        boolean covers(Instant t) {
            return !t.isBefore(start) && t.isBefore(start.plus(length));
        }
    }

    /** Monday 2024-01-01 00:00 UTC, so the weekly cycle starts on a Monday. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    /** Four models of different volume and shape over 14 days in 5-minute intervals (16,128 counts). */
    public static Config defaults(long seed) {
        return new Config(seed, DEFAULT_START, Duration.ofDays(14), Duration.ofMinutes(5), List.of(
                new ModelProfile("chat-large", 20, 0.6, 14, 0.35, 2, 0.8, 900, 250),
                new ModelProfile("code-mid", 8, 0.8, 10, 0.6, 1, 0.4, 1500, 60),
                new ModelProfile("embed-small", 40, 0.3, 20, 0.1, 3, 0.02, 200, 1),
                new ModelProfile("image-gen", 1, 0.5, 18, 0.2, 4, 6.0, 80, 1)), 0.1);
    }

    private final Config config;
    private final List<Burst> bursts;

    public SyntheticTraceGenerator(Config config) {
        this.config = config;
        this.bursts = drawBursts(config);
    }

    public Config config() {
        return config;
    }

    /** The promotions, drawn from the seed, sorted by start. */
    public List<Burst> bursts() {
        return bursts;
    }

    /** The noiseless rate (requests/s) of a model at {@code t}: daily × weekly × bursts. */
    public double rate(ModelProfile m, Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        double hour = z.getHour() + z.getMinute() / 60.0 + z.getSecond() / 3600.0;
        double daily = 1 + m.dailyAmplitude() * Math.cos(2 * Math.PI * (hour - m.peakHourUtc()) / 24);
        boolean weekend = z.getDayOfWeek() == DayOfWeek.SATURDAY || z.getDayOfWeek() == DayOfWeek.SUNDAY;
        double weekly = weekend ? 1 - m.weekendDip() : 1;
        double burst = 1;
        for (Burst b : bursts) if (b.model().equals(m.model()) && b.covers(t)) burst *= b.multiplier();
        return m.meanRps() * daily * weekly * burst;
    }

    /** Number of intervals in the span (a last partial interval is dropped). */
    public long intervals() {
        return config.span().toNanos() / config.interval().toNanos();
    }

    /**
     * Per-interval counts (whole numbers) for every model, interval by interval, models in name order
     * inside an interval. Each interval's count is the rate at its middle × its length × noise.
     */
    public TraceReader intervalCounts() {
        return new CountsReader();
    }

    /**
     * Request-level arrivals: each interval's count spread uniformly at random inside the interval
     * (i.e. Poisson arrivals given the count), with exponential service times around the model's mean
     * and token counts around its means. For small fixtures: request volume is the full trace volume.
     */
    public TraceReader requests() {
        return new RequestsReader();
    }

    /** Writes the interval counts as {@code counts-csv}. */
    public void writeCountsCsv(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); TraceReader r = intervalCounts()) {
            w.write("interval_start,interval_s,model,count\n");
            String len = Durations.seconds(config.interval()) == config.interval().toSeconds()
                    ? Long.toString(config.interval().toSeconds()) : Double.toString(Durations.seconds(config.interval()));
            while (r.hasNext()) {
                IntervalCount c = (IntervalCount) r.next();
                w.write(c.time() + "," + len + "," + c.model() + "," + (long) c.count() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Writes the request-level arrivals as {@code requests-csv} with all optional columns. */
    public void writeRequestsCsv(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); TraceReader r = requests()) {
            w.write("timestamp,model,input_tokens,output_tokens,service_time_s\n");
            while (r.hasNext()) {
                Request q = (Request) r.next();
                w.write(q.time() + "," + q.model() + "," + q.inputTokens() + "," + q.outputTokens() + ","
                        + String.format(Locale.ROOT, "%.6f", q.serviceSeconds()) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private List<ModelProfile> modelsByName() {
        List<ModelProfile> ms = new ArrayList<>(config.models());
        ms.sort(Comparator.comparing(ModelProfile::model));
        return ms;
    }

    private static List<Burst> drawBursts(Config c) {
        Random rnd = new Random(c.seed() ^ 0x5DEECE66DL);
        double weeks = Durations.seconds(c.span()) / (7 * 86400.0);
        long spanSeconds = c.span().toSeconds();
        List<Burst> out = new ArrayList<>();
        for (ModelProfile m : c.models()) {
            int n = poisson(rnd, m.burstsPerWeek() * weeks);
            for (int i = 0; i < n; i++) {
                Instant start = c.start().plusSeconds((long) (rnd.nextDouble() * spanSeconds));
                Duration length = Duration.ofMinutes(20 + rnd.nextInt(161));
                out.add(new Burst(m.model(), start, length, 1.5 + 2.5 * rnd.nextDouble()));
            }
        }
        out.sort(Comparator.comparing(Burst::start).thenComparing(Burst::model));
        return List.copyOf(out);
    }

    /** Knuth for small means, a rounded normal approximation for large ones. */
    static int poisson(Random rnd, double mean) {
        if (mean <= 0) return 0;
        if (mean > 50) return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * rnd.nextGaussian()));
        double limit = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    private final class CountsReader extends AbstractTraceReader {
        private final List<ModelProfile> models = modelsByName();
        private final Random noise = new Random(config.seed());
        private long interval;
        private int model;

        CountsReader() {
            super(new TraceFeatures(true, false, false, false, false));
        }

        @Override
        protected TraceRecord fetch() {
            if (interval >= intervals()) return null;
            ModelProfile m = models.get(model);
            Instant t = config.start().plus(config.interval().multipliedBy(interval));
            Instant middle = t.plus(config.interval().dividedBy(2));
            double expected = rate(m, middle) * Durations.seconds(config.interval())
                    * Math.exp(config.noiseSigma() * noise.nextGaussian() - config.noiseSigma() * config.noiseSigma() / 2);
            if (++model == models.size()) {
                model = 0;
                interval++;
            }
            return new IntervalCount(t, config.interval(), m.model(), Math.round(expected), ArrivalShape.POISSON, false);
        }

        @Override
        public long skippedRows() {
            return 0;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    private final class RequestsReader extends AbstractTraceReader {
        private final Map<String, ModelProfile> profiles = new HashMap<>();
        private final CountsReader counts = new CountsReader();
        private final Random rnd = new Random(config.seed() * 31 + 7);
        private final ArrayDeque<Request> pending = new ArrayDeque<>();
        private IntervalCount carry;

        RequestsReader() {
            super(new TraceFeatures(false, true, true, false, false));
            for (ModelProfile m : config.models()) profiles.put(m.model(), m);
        }

        @Override
        protected TraceRecord fetch() {
            while (pending.isEmpty()) {
                if (!fillInterval()) return null;
            }
            return pending.poll();
        }

        /** Expands every model's count of the next interval into sorted arrivals. */
        private boolean fillInterval() {
            IntervalCount first = carry != null ? carry : counts.hasNext() ? (IntervalCount) counts.next() : null;
            carry = null;
            if (first == null) return false;
            List<Request> batch = new ArrayList<>();
            IntervalCount c = first;
            while (true) {
                expand(c, batch);
                if (!counts.hasNext()) break;
                IntervalCount n = (IntervalCount) counts.next();
                if (!n.time().equals(first.time())) {
                    carry = n;
                    break;
                }
                c = n;
            }
            batch.sort(Comparator.comparing(Request::time).thenComparing(Request::model));
            pending.addAll(batch);
            return true;
        }

        private void expand(IntervalCount c, List<Request> out) {
            ModelProfile m = profiles.get(c.model());
            long nanos = c.length().toNanos();
            for (long i = 0; i < (long) c.count(); i++) {
                Instant t = c.time().plusNanos((long) (rnd.nextDouble() * nanos));
                double service = -m.serviceSeconds() * Math.log(1 - rnd.nextDouble());
                int in = Math.max(1, (int) Math.round(m.inputTokens() * Math.exp(0.5 * rnd.nextGaussian() - 0.125)));
                int outTokens = Math.max(1, (int) Math.round(m.outputTokens() * Math.exp(0.5 * rnd.nextGaussian() - 0.125)));
                out.add(new Request(t, m.model(), service, in, outTokens));
            }
        }

        @Override
        public long skippedRows() {
            return 0;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

}
