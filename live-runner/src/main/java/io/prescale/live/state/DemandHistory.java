package io.prescale.live.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
     * as the one before it is the same model and changes nothing; one with another file is a new model, whose rows start
     * at its registration ({@link #lineages}). Kept in {@code model=NAME/.registration}, one line {@code SHA256 SINCE} per
     * file that served the name, oldest first (a dot file: Spark and the export skip it).
     */
    public synchronized void registered(String model, String sha256, Instant at) {
        Path f = registrationFile(dir, model);
        List<Lineage> known = readLineages(f).orElse(List.of());
        if (!known.isEmpty() && known.get(known.size() - 1).sha256().equals(sha256)) return;
        // the first registration on file owns the rows already there (written before registrations were recorded)
        Instant since = known.isEmpty() ? Instant.EPOCH : at;
        StringBuilder text = new StringBuilder();
        for (Lineage l : known) text.append(l.sha256()).append(' ').append(l.since()).append('\n');
        text.append(sha256).append(' ').append(since).append('\n');
        DurableFiles.write(f, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a registration of {@code model} is on file (a state folder from before they were recorded has none). */
    public synchronized boolean knowsRegistration(String model) {
        return readLineages(registrationFile(dir, model)).filter(l -> !l.isEmpty()).isPresent();
    }

    /** A model file that served a name: its SHA-256, and the instant from which the name's rows are its. */
    public record Lineage(String sha256, Instant since) {}

    /**
     * Which model file served each of a name's rows, from its {@code .registration}: the file on each line serves from its
     * {@code since} (cut to the minute) to the next line's. A row belongs to the current model (the last line's file) when
     * that file served it, so a model registered again with an earlier file owns that file's rows again; a name with
     * nothing on file owns every row.
     */
    public record Lineages(List<Lineage> files) {
        public Lineages {
            files = List.copyOf(files);
        }

        /** The file that served the row of {@code minute} (epoch seconds); null when none is on file. */
        public Lineage at(long minute) {
            Lineage at = files.isEmpty() ? null : files.get(0);
            for (Lineage l : files) if (l.since().truncatedTo(ChronoUnit.MINUTES).getEpochSecond() <= minute) at = l;
            return at;
        }

        /** Whether the row of {@code minute} was served by the name's current model file. */
        public boolean current(long minute) {
            Lineage at = at(minute);
            return at == null || at.sha256().equals(files.get(files.size() - 1).sha256());
        }

        /**
         * The series a row of {@code model} belongs to: the name for its current file's rows, {@code NAME@} and the first 12
         * hex digits of the digest for another file's (no model name has an '@').
         */
        public String series(String model, long minute) {
            if (current(minute)) return model;
            String sha = at(minute).sha256();
            return model + "@" + sha.substring(0, Math.min(12, sha.length()));
        }
    }

    /** The lineages of {@code model} under {@code historyDir}; an unreadable record counts as none (every row the model's). */
    public static Lineages lineages(Path historyDir, String model) {
        return new Lineages(readLineages(registrationFile(historyDir, model)).orElse(List.of()));
    }

    /** As {@link #lineages}, but a record that cannot be read is an IOException naming its file and line. */
    public static Lineages lineagesOrFail(Path historyDir, String model) throws java.io.IOException {
        Path f = registrationFile(historyDir, model);
        if (!Files.exists(f)) return new Lineages(List.of());
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<Lineage> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                out.add(parse(lines.get(i)));
            } catch (RuntimeException e) {
                throw new java.io.IOException(f + ":" + (i + 1) + ": " + e.getMessage() + " (want 'SHA256 SINCE', SINCE an ISO instant)");
            }
        }
        return new Lineages(out);
    }

    private static Lineage parse(String line) {
        String[] r = line.strip().split(" ");
        if (r.length != 2) throw new IllegalArgumentException("want 2 fields, got " + r.length);
        if (!r[0].matches("[0-9a-f]{1,64}")) throw new IllegalArgumentException("not a hex digest: '" + r[0] + "'");
        return new Lineage(r[0], Instant.parse(r[1]));
    }

    private static Path registrationFile(Path historyDir, String model) {
        return historyDir.resolve("model=" + model).resolve(".registration");
    }

    /** The lines of {@code f}, oldest first; empty when none is on file or it is unreadable (then every row counts, as before). */
    private static Optional<List<Lineage>> readLineages(Path f) {
        try {
            List<Lineage> out = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) if (!line.isBlank()) out.add(parse(line));
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
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
