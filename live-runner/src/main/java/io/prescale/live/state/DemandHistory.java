package io.prescale.live.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Live demand per model per minute, appended as Hive-partitioned CSV so Spark reads it as one table
 * ({@code spark.read.option("header", true).csv("state/history")} gives columns model and date from the
 * folder names): {@code history/model=NAME/date=YYYY-MM-DD/part.csv} with
 * {@code minute,arrivals,completed,rejected,timed_out,mean_latency_ms}. A minute with no traffic is written
 * as zeros, so a missing row means the runner was down (a gap), not zero demand.
 */
public final class DemandHistory {
    public static final String HEADER = "minute,arrivals,completed,rejected,timed_out,mean_latency_ms\n";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** Running totals of one model, as its server counts them. */
    public record Totals(long arrivals, long completed, long rejected, long timedOut, long latencyMicros) {}

    private final Path dir;
    /** Per model, the totals at its last row and whose they were (a model registered again counts from zero). */
    private final Map<String, Baseline> previous = new HashMap<>();

    private record Baseline(Object source, Totals totals) {}

    public DemandHistory(Path stateDir) {
        this.dir = stateDir.resolve("history");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Appends the minute starting at {@code minute} for {@code model}: the difference between {@code now} and
     * the totals given at the previous call. Totals count from the model's start in this process, so the first
     * call counts from zero (a model registered mid-minute lands in the minute that just ended).
     */
    public synchronized void record(String model, Instant minute, Totals now) {
        record(model, model, minute, now);
    }

    /**
     * As {@link #record(String, Instant, Totals)} for totals counted by {@code source} (the model's server): totals of
     * another source under the same name (the model removed and registered again) count from zero, not from the
     * totals of the one before it.
     */
    public synchronized void record(String model, Object source, Instant minute, Totals now) {
        Baseline last = previous.put(model, new Baseline(source, now));
        Totals before = last != null && last.source().equals(source) ? last.totals() : new Totals(0, 0, 0, 0, 0);
        long completed = now.completed - before.completed;
        double meanMs = completed == 0 ? 0 : (now.latencyMicros - before.latencyMicros) / 1000.0 / completed;
        String line = String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.3f%n", minute, now.arrivals - before.arrivals, completed,
                now.rejected - before.rejected, now.timedOut - before.timedOut, meanMs);
        Path f = file(model, minute);
        // (a file a crash left empty, or holding only a torn header, gets its header again)
        boolean hasHeader = Files.exists(f) && DurableFiles.startsWithLine(f);
        byte[] bytes = hasHeader ? line.getBytes(StandardCharsets.UTF_8) : (HEADER + line).getBytes(StandardCharsets.UTF_8);
        DurableFiles.append(f, bytes);
    }

    /**
     * Forgets a removed model's baseline, when it is that model's ({@code source}): a model registered again under the
     * name while the old one drained keeps its own.
     */
    public synchronized void forget(String model, Object source) {
        previous.computeIfPresent(model, (k, b) -> b.source().equals(source) ? null : b);
    }

    /**
     * Keeps the baselines of {@code served} only: a model removed while its minute was being recorded has its baseline
     * put back after {@link #forget}, and names registered and removed over time must not each leave one behind.
     */
    public synchronized void retain(java.util.Collection<?> served) {
        java.util.Set<Object> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        live.addAll(served);
        previous.values().removeIf(b -> !live.contains(b.source()));
    }

    /** Models whose totals it keeps a baseline of. */
    public synchronized int remembered() {
        return previous.size();
    }

    public Path file(String model, Instant minute) {
        return dir.resolve("model=" + model).resolve("date=" + DATE.format(minute)).resolve("part.csv");
    }
}
