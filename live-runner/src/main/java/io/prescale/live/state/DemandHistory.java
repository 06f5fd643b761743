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

    /**
     * Records that {@code model} was registered at {@code at} with a model file of digest {@code sha256}. The rows of a
     * name outlive its model (training data), and a forecaster is warmed from them: a registration with the same file
     * is the same model and keeps them, one with another file is a new model, whose warm-up starts at its registration
     * ({@link #warmUpFrom}). Kept in {@code model=NAME/.registration} (a dot file: Spark and the export skip it).
     */
    public synchronized void registered(String model, String sha256, Instant at) {
        Path f = registrationFile(dir, model);
        java.util.Optional<String[]> last = readRegistration(f);
        if (last.isPresent() && last.get()[0].equals(sha256)) return;
        // the first registration on file owns the rows already there (written before registrations were recorded)
        Instant since = last.isPresent() ? at : Instant.EPOCH;
        DurableFiles.write(f, (sha256 + " " + since + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a registration of {@code model} is on file (a state folder from before they were recorded has none). */
    public synchronized boolean knowsRegistration(String model) {
        return readRegistration(registrationFile(dir, model)).isPresent();
    }

    /**
     * The first minute of {@code model}'s rows that belong to its current model file (see {@link #registered}): the
     * minute it was registered with another file than the one before it; the epoch when every row is its own.
     */
    public static Instant warmUpFrom(Path historyDir, String model) {
        return readRegistration(registrationFile(historyDir, model))
                .map(r -> Instant.parse(r[1]).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)).orElse(Instant.EPOCH);
    }

    private static Path registrationFile(Path historyDir, String model) {
        return historyDir.resolve("model=" + model).resolve(".registration");
    }

    /** {sha256, since}, or empty when none is on file or it is unreadable (then every row counts, as before). */
    private static java.util.Optional<String[]> readRegistration(Path f) {
        try {
            String[] r = Files.readString(f).strip().split(" ");
            if (r.length != 2) return java.util.Optional.empty();
            Instant.parse(r[1]);
            return java.util.Optional.of(r);
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Models whose totals it keeps a baseline of. */
    public synchronized int remembered() {
        return previous.size();
    }

    public Path file(String model, Instant minute) {
        return dir.resolve("model=" + model).resolve("date=" + DATE.format(minute)).resolve("part.csv");
    }
}
