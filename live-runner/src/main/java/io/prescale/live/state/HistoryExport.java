package io.prescale.live.state;

import io.prescale.core.config.ConfigException;
import io.prescale.core.trace.TraceFormatException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns the runner's per-minute demand history into a {@code counts-csv} trace
 * ({@code interval_start,interval_s,model,count,gap}), so {@code prescale forecast train --trace counts-csv:FILE}
 * retrains from live demand and {@code prescale simulate} replays it. Minutes between a series' first and
 * last row that are missing from the files (the runner was down, or another model file served the name) are written
 * as gaps, not zeros; a minute the runner saw only part of ({@link DemandHistory.Minute#complete}: it started or stopped
 * mid-minute, and no other row covers the rest) is a gap too, with the arrivals it did see as its count. A series with
 * no row for more than {@link #MAX_GAP_DAYS} days in a row is refused, naming the rows on either side: one of them was
 * written under a wrong clock (a row dated decades back would otherwise be exported as millions of gap rows).
 */
public final class HistoryExport {
    /** The longest run of minutes without a row that one series may have in an export. */
    public static final long MAX_GAP_DAYS = 366;

    private HistoryExport() {}

    private record Where(Path file, int line) {
        @Override public String toString() { return file + ":" + line; }
    }

    /** Writes the export, each model file that served a name a series of its own; returns the number of rows (gaps included). */
    public static long toCountsCsv(Path historyDir, Path out) throws IOException {
        return toCountsCsv(historyDir, out, false);
    }

    /**
     * Writes the export; returns the number of rows (gaps included). A name's rows are its current model file's; rows
     * another file served under the name (the model removed and registered again with another file,
     * {@link DemandHistory.Lineages}) are another model's demand and go to a series of their own, {@code NAME@} and the
     * first 12 hex digits of that file's SHA-256, unless {@code mergeLineages} (a new file of the same endpoint, whose
     * demand goes on): then every row of a name is the name's.
     */
    public static long toCountsCsv(Path historyDir, Path out, boolean mergeLineages) throws IOException {
        return export(historyDir, out, mergeLineages).rows();
    }

    /** What an export wrote: its rows (gaps included), its series, by name, and its first minute. */
    public record Result(long rows, java.util.List<String> series, Instant first) {}

    /** As {@link #toCountsCsv(Path, Path, boolean)}, saying which series it wrote. */
    public static Result export(Path historyDir, Path out, boolean mergeLineages) throws IOException {
        TreeMap<Long, TreeMap<String, DemandHistory.Minute>> byMinute = new TreeMap<>();
        Map<String, long[]> span = new TreeMap<>(); // series -> {first, last} minute (epoch seconds)
        Map<String, TreeMap<Long, Where>> rowsAt = new java.util.HashMap<>(); // series -> its minutes, each with a row's place
        Map<String, DemandHistory.Lineages> lineages = new java.util.HashMap<>();
        if (!Files.isDirectory(historyDir))
            throw new ConfigException(historyDir.toString(), "no demand history here (serve writes one row per model per completed minute)");
        try (Stream<Path> files = Files.walk(historyDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("part.csv")).sorted().toList()) {
                String dir = f.getParent().getParent().getFileName().toString();
                if (!dir.startsWith("model=")) continue;
                String name = dir.substring("model=".length());
                DemandHistory.Lineages served = mergeLineages ? new DemandHistory.Lineages(java.util.List.of()) : lineages.get(name);
                if (served == null) lineages.put(name, served = DemandHistory.lineagesOrFail(historyDir, name));
                String text = Files.readString(f);
                boolean terminated = text.endsWith("\n");
                java.util.List<String> lines = text.lines().toList();
                for (int i = 1; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank()) continue;
                    DemandHistory.Row row;
                    try {
                        row = DemandHistory.Row.parse(line);
                    } catch (RuntimeException e) {
                        // the runner appends whole lines: only a last line without its newline was cut short by a crash
                        // (the next append drops it)
                        if (i == lines.size() - 1 && !terminated) continue;
                        throw new TraceFormatException(f.toString(), i + 1, e.getMessage());
                    }
                    long minute = row.minute();
                    String model = served.series(name, minute);
                    byMinute.computeIfAbsent(minute, k -> new TreeMap<>()).computeIfAbsent(model, k -> new DemandHistory.Minute()).add(row);
                    long[] s = span.computeIfAbsent(model, k -> new long[]{minute, minute});
                    s[0] = Math.min(s[0], minute);
                    s[1] = Math.max(s[1], minute);
                    rowsAt.computeIfAbsent(model, k -> new TreeMap<>()).putIfAbsent(minute, new Where(f, i + 1));
                }
            }
        }
        if (span.isEmpty())
            throw new ConfigException(historyDir.toString(), "no demand recorded yet: serve writes one row per model per completed minute, "
                    + "so there is none until a model has been registered through a whole minute");
        long maxGap = MAX_GAP_DAYS * 86_400;
        for (var e : rowsAt.entrySet()) {
            Map.Entry<Long, Where> prev = null;
            for (Map.Entry<Long, Where> at : e.getValue().entrySet()) {
                if (prev != null && at.getKey() - prev.getKey() > maxGap)
                    throw new ConfigException(historyDir.toString(), "series " + e.getKey() + " has no row for "
                            + (at.getKey() - prev.getKey()) / 86_400 + " days, from " + Instant.ofEpochSecond(prev.getKey()) + " ("
                            + prev.getValue() + ") to " + Instant.ofEpochSecond(at.getKey()) + " (" + at.getValue() + "): more than "
                            + MAX_GAP_DAYS + " days, so one of those rows was most likely written under a wrong clock; remove it "
                            + "(or the rows around it) and export again");
                prev = at;
            }
        }
        long first = span.values().stream().mapToLong(s -> s[0]).min().orElseThrow();
        long last = span.values().stream().mapToLong(s -> s[1]).max().orElseThrow();
        long rows = 0;
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            w.write("interval_start,interval_s,model,count,gap\n");
            for (long m = first; m <= last; m += 60) {
                long minute = m;
                if (span.values().stream().noneMatch(v -> v[0] <= minute && minute <= v[1])) {
                    // no series spans this minute (one ended, the next starts later): on to the next start
                    long next = span.values().stream().mapToLong(v -> v[0]).filter(v -> v > minute).min().orElse(Long.MAX_VALUE);
                    if (next == Long.MAX_VALUE) break;
                    m = next - 60;
                    continue;
                }
                Map<String, DemandHistory.Minute> at = byMinute.getOrDefault(m, new TreeMap<>());
                for (var e : span.entrySet()) {
                    if (m < e.getValue()[0] || m > e.getValue()[1]) continue;
                    DemandHistory.Minute n = at.get(e.getKey());
                    // partly seen: a gap (never a whole minute's count), with the arrivals that were seen
                    String count = n == null ? "0,1" : n.arrivals() + (n.complete() ? ",0" : ",1");
                    w.write(Instant.ofEpochSecond(m) + ",60," + e.getKey() + "," + count + "\n");
                    rows++;
                }
            }
        }
        return new Result(rows, java.util.List.copyOf(span.keySet()), Instant.ofEpochSecond(first));
    }
}
