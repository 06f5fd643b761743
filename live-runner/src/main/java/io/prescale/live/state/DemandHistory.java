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
 * {@code minute,arrivals,completed,rejected,timed_out,mean_latency_ms,observed}. A minute with no traffic is written
 * as zeros, so a missing row means the runner was down (a gap), not zero demand. {@code observed} says which part of its
 * minute a row counts ({@link Observed}): a start or a stop mid-minute leaves a partial row, and a minute is whole only
 * when its rows cover it ({@link Minute#complete}).
 */
public final class DemandHistory {
    public static final String HEADER = "minute,arrivals,completed,rejected,timed_out,mean_latency_ms,observed\n";
    /** The header before rows said which part of their minute they saw: each such row saw all of it. */
    static final String HEADER_V1 = "minute,arrivals,completed,rejected,timed_out,mean_latency_ms";

    /**
     * Which part of its minute a row counts. A runner started mid-minute counts only the rest of it ({@link #TAIL}); one
     * stopped gracefully mid-minute writes what it counted so far ({@link #HEAD}); both in one minute, {@link #PART}.
     */
    public enum Observed {
        /** the whole minute (rows written before the column existed are these) */
        ALL,
        /** from the minute's start until a graceful stop */
        HEAD,
        /** from a start until the minute's end */
        TAIL,
        /** from a start until a graceful stop, both within the minute */
        PART;

        /** As written in the {@code observed} column. */
        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The row of a runner that observed from the minute's start or not, to its end or not. */
        public static Observed of(boolean fromMinuteStart, boolean toMinuteEnd) {
            return fromMinuteStart ? (toMinuteEnd ? ALL : HEAD) : (toMinuteEnd ? TAIL : PART);
        }

        /** The column's value; empty (a row written before the column existed) is {@link #ALL}. */
        public static Observed parse(String column) {
            String c = column.strip();
            if (c.isEmpty()) return ALL;
            for (Observed o : values()) if (o.column().equals(c)) return o;
            throw new IllegalArgumentException("observed must be all, head, tail or part, got '" + c + "'");
        }
    }

    /** One row as the readers need it: its minute (epoch seconds), arrivals and which part of the minute it counts. */
    public record Row(long minute, long arrivals, Observed observed) {
        /** Parses a data line (6 fields, written before {@code observed} existed, or 7); IllegalArgumentException if bad. */
        public static Row parse(String line) {
            String[] c = line.split(",", -1);
            if (c.length != 6 && c.length != 7)
                throw new IllegalArgumentException("want 7 fields (" + HEADER.strip() + "), got " + c.length);
            long minute = Instant.parse(c[0]).getEpochSecond();
            long arrivals = Long.parseLong(c[1].trim());
            if (minute % 60 != 0) throw new IllegalArgumentException("minute " + c[0] + " is not on a whole minute");
            if (arrivals < 0) throw new IllegalArgumentException("negative arrivals " + arrivals);
            return new Row(minute, arrivals, c.length == 7 ? Observed.parse(c[6]) : Observed.ALL);
        }
    }

    /**
     * The rows of one minute summed. A graceful stop and a restart within one minute leave two rows, the stop's
     * {@code head} and the start's {@code tail}: together they are the minute (what arrived while no runner listened was
     * refused at the door, not served). A minute is partial when its rows do not cover it: only a {@code tail} (the
     * process before was killed, and what it counted of the minute is lost), only a {@code head} (stopped, and not
     * started again within the minute), or a {@code part}.
     */
    public static final class Minute {
        private long arrivals;
        private boolean all, head, tail;

        public void add(Row r) {
            arrivals += r.arrivals();
            switch (r.observed()) {
                case ALL -> all = true;
                case HEAD -> head = true;
                case TAIL -> tail = true;
                case PART -> { }
            }
        }

        public long arrivals() {
            return arrivals;
        }

        /** Whether the rows cover the whole minute. */
        public boolean complete() {
            return all || (head && tail);
        }
    }
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** Running totals of one model, as its server counts them. */
    public record Totals(long arrivals, long completed, long rejected, long timedOut, long latencyMicros) {}

    private final Path dir;
    /** Per model, the totals at its last row and whose they were (a model registered again counts from zero). */
    private final Map<String, Baseline> previous = new HashMap<>();

    private record Baseline(Object source, Totals totals) {}

    /**
     * Per model, the file its last row went to, whose header is known good: the next append to it checks nothing again
     * (the check read the whole day's file, per model, every minute).
     */
    private final Map<String, Path> checked = new HashMap<>();

    /** Told of each file whose header an append checks (tests). */
    static volatile java.util.function.Consumer<Path> onHeaderChecked = f -> {};

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
        record(model, model, minute, now, Observed.ALL);
    }

    /** As {@link #record(String, Object, Instant, Totals, Observed)} for a whole minute. */
    public synchronized void record(String model, Object source, Instant minute, Totals now) {
        record(model, source, minute, now, Observed.ALL);
    }

    /**
     * As {@link #record(String, Instant, Totals)} for totals counted by {@code source} (the model's server): totals of
     * another source under the same name (the model removed and registered again) count from zero, not from the
     * totals of the one before it. {@code observed} says which part of the minute this process counted.
     */
    public synchronized void record(String model, Object source, Instant minute, Totals now, Observed observed) {
        Baseline last = previous.put(model, new Baseline(source, now));
        Totals before = last != null && last.source().equals(source) ? last.totals() : new Totals(0, 0, 0, 0, 0);
        long completed = now.completed - before.completed;
        double meanMs = completed == 0 ? 0 : (now.latencyMicros - before.latencyMicros) / 1000.0 / completed;
        String line = String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.3f,%s%n", minute, now.arrivals - before.arrivals, completed,
                now.rejected - before.rejected, now.timedOut - before.timedOut, meanMs, observed.column());
        Path f = file(model, minute);
        boolean hasHeader;
        if (f.equals(checked.get(model)) && Files.exists(f)) {
            hasHeader = true; // this process wrote its last row, under a header it checked
        } else {
            onHeaderChecked.accept(f);
            upgrade(f);
            // (a file a crash left empty, or holding only a torn header, gets its header again)
            hasHeader = Files.exists(f) && DurableFiles.startsWithLine(f);
        }
        byte[] bytes = hasHeader ? line.getBytes(StandardCharsets.UTF_8) : (HEADER + line).getBytes(StandardCharsets.UTF_8);
        checked.remove(model); // (until the append went through)
        DurableFiles.append(f, bytes);
        checked.put(model, f);
    }

    /**
     * Rewrites every {@code part.csv} under the history that has the header of before the {@code observed} column, each of
     * its rows marked {@code all}: Spark reads a folder of CSV files by one header, so old and new files must agree.
     * Returns how many files it rewrote. A runner calls it at start, before it appends.
     */
    public synchronized int upgradeFiles() {
        checked.clear();
        if (!Files.isDirectory(dir)) return 0;
        int upgraded = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("part.csv")).toList()) if (upgrade(f)) upgraded++;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return upgraded;
    }

    /**
     * Cuts off the last line a crash left without its newline in every {@code part.csv} under the history; returns how
     * many files it cut. The next append to a file drops its torn line too, but a file no longer appended to (a past day's,
     * a removed model's) kept it, and Spark read it as a row: {@code 2026-03-01T23:59:00Z,12} cut from
     * {@code ...,123,...} counted 12 arrivals. A runner calls it at start, before it appends.
     */
    public synchronized int dropTornLines() {
        checked.clear();
        if (!Files.isDirectory(dir)) return 0;
        int cut = 0;
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("part.csv") && Files.isRegularFile(p)).toList())
                try {
                    if (DurableFiles.dropTornLine(f)) cut++;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot repair " + f + ": " + e.getMessage(), e);
                }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return cut;
    }

    /** Rewrites {@code f} with the current header if it has the one from before {@code observed}; whether it did. */
    private static boolean upgrade(Path f) {
        try {
            if (!Files.isRegularFile(f)) return false;
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int eol = text.indexOf('\n');
            if (eol < 0 || !text.substring(0, eol).strip().equals(HEADER_V1)) return false;
            StringBuilder out = new StringBuilder(HEADER);
            int from = eol + 1;
            int next;
            while ((next = text.indexOf('\n', from)) >= 0) { // an unterminated last line was torn by a crash: dropped
                String row = text.substring(from, next).strip();
                if (!row.isEmpty()) out.append(row).append(row.split(",", -1).length == 6 ? "," + Observed.ALL.column() : "").append('\n');
                from = next + 1;
            }
            DurableFiles.write(f, out.toString().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot upgrade " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forgets a removed model's baseline, when it is that model's ({@code source}): a model registered again under the
     * name while the old one drained keeps its own.
     */
    public synchronized void forget(String model, Object source) {
        previous.computeIfPresent(model, (k, b) -> b.source().equals(source) ? null : b);
        checked.keySet().retainAll(previous.keySet());
    }

    /**
     * Keeps the baselines of {@code served} only: a model removed while its minute was being recorded has its baseline
     * put back after {@link #forget}, and names registered and removed over time must not each leave one behind.
     */
    public synchronized void retain(java.util.Collection<?> served) {
        java.util.Set<Object> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        live.addAll(served);
        previous.values().removeIf(b -> !live.contains(b.source()));
        checked.keySet().retainAll(previous.keySet());
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
                throw new io.prescale.core.trace.TraceFormatException(f.toString(), i + 1, e.getMessage() + " (want 'SHA256 SINCE', SINCE an ISO instant)");
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
