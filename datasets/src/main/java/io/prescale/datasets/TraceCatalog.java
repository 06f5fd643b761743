package io.prescale.datasets;

import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Scans traces for the {@code prescale traces} table: size, span, records, requests, models. */
public final class TraceCatalog {
    private TraceCatalog() {}

    /** Reads the whole source once (lazily, so memory stays flat apart from the per-model counts). */
    public static TraceSummary summarize(TraceSource source, ReadOptions options) {
        TreeMap<String, Double> byModel = new TreeMap<>();
        Instant start = null;
        Instant end = null;
        long records = 0;
        long gaps = 0;
        double requests = 0;
        long skipped;
        try (TraceReader reader = source.open(options)) {
            while (reader.hasNext()) {
                TraceRecord r = reader.next();
                records++;
                if (start == null) start = r.time();
                double n;
                Instant last;
                if (r instanceof TraceRecord.IntervalCount c) {
                    n = c.gap() ? 0 : c.count();
                    if (c.gap()) gaps++;
                    last = c.time().plus(c.length());
                } else {
                    n = 1;
                    last = r.time();
                }
                if (end == null || last.isAfter(end)) end = last;
                requests += n;
                byModel.merge(r.model(), n, Double::sum);
            }
            skipped = reader.skippedRows();
        }
        return new TraceSummary(source.id(), source.format(), source.files().size(), source.sizeBytes(),
                start, end, records, requests, gaps, skipped, byModel);
    }

    /**
     * Summaries of every shared trace present under {@code dataDir} (missing ones are left out), then
     * the synthetic trace. With no data folder only the synthetic trace is listed.
     */
    public static List<TraceSummary> summarizeShared(Optional<Path> dataDir) {
        List<TraceSummary> out = new ArrayList<>();
        for (String name : SharedTraces.names()) {
            if (!name.equals(SharedTraces.SYNTHETIC) && !isPresent(name, dataDir)) continue;
            out.add(summarize(SharedTraces.resolve(name, dataDir), ReadOptions.STRICT));
        }
        return out;
    }

    /** Whether every file of a shared trace is in the data folder. */
    public static boolean isPresent(String name, Optional<Path> dataDir) {
        if (dataDir.isEmpty()) return false;
        return TraceManifest.forName(name)
                .map(m -> m.paths(dataDir.get()).stream().allMatch(java.nio.file.Files::isRegularFile))
                .orElse(false);
    }
}
