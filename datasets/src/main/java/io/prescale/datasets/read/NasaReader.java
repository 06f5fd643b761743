package io.prescale.datasets.read;

import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * NASA KSC HTTP 1995, per-minute counts ({@code minute_start,unix_s,requests,gap}): one 60 s
 * {@link TraceRecord.IntervalCount} per row for model {@code nasa}, time from {@code unix_s}.
 * {@code gap=1} rows (missing log, hurricane outage) are flagged, not zero demand.
 */
public final class NasaReader extends CsvTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(true, false, false, false, true);
    public static final String MODEL = "nasa";
    public static final Duration MINUTE = Duration.ofSeconds(60);

    private final int unix;
    private final int requests;
    private final int gap;

    public NasaReader(Path file, ReadOptions options) {
        super(file, options, FEATURES, List.of("unix_s", "requests", "gap"));
        unix = rows.column("unix_s");
        requests = rows.column("requests");
        gap = rows.column("gap");
    }

    @Override
    protected TraceRecord parse(CSVRecord row) throws BadRowException {
        String g = row.get(gap).trim();
        if (!g.equals("0") && !g.equals("1")) throw new BadRowException("gap must be 0 or 1, got '" + g + "'");
        Instant start = Timestamps.epochSecondsLong(row.get(unix), "unix_s");
        Timestamps.endInRange(start, MINUTE, "unix_s");
        return new TraceRecord.IntervalCount(
                start,
                MINUTE, MODEL,
                Fields.nonNegativeLong(row.get(requests), "requests"),
                ArrivalShape.POISSON, g.equals("1"));
    }
}
