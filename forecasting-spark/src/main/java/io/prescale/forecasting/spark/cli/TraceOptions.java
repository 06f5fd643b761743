package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.events.Holidays;
import io.prescale.forecasting.spark.TraceSeries;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Options every forecast subcommand shares: which trace, where the data is, the interval, events. */
public final class TraceOptions {
    @Option(names = "--trace", required = true, paramLabel = "TRACE",
            description = "shared trace name (servegen, servegen-clients, nasa, alibaba-genai, azure-llm, mooncake, synthetic) or FORMAT:PATH")
    String trace;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: $PRESCALE_DATA, else <project>/../shared/datasets)")
    Path data;

    @Option(names = "--interval", paramLabel = "DURATION", description = "forecasting interval, e.g. 10m, 1h (default: the trace's own interval, 10m for request traces)")
    String interval;

    @Option(names = "--events", paramLabel = "FILE", description = "event calendar (YAML or CSV: name,start,end[,effect]) for the event-aware forecasters")
    String events;

    @Option(names = "--holidays", paramLabel = "SET", defaultValue = "none", description = "holiday feature set: none, us (default: ${DEFAULT-VALUE})")
    String holidays;

    @Option(names = "--skip-bad-rows", description = "skip malformed trace rows (counted) instead of stopping")
    boolean skipBadRows;

    static Path projectRoot() {
        return io.prescale.core.config.ProjectHome.root();
    }

    TraceSource source() {
        return SharedTraces.resolve(trace, SharedTraces.findDataDir(Optional.ofNullable(data), projectRoot()));
    }

    /** Loads the series at {@code --interval}; without it, at the trace's own interval (10m for request traces). */
    TraceSeries.Loaded load(TraceSource src) {
        return load(src, null);
    }

    /**
     * Loads the series at {@code --interval}; without it, at {@code preferred} when the trace's own intervals add up to
     * it (a 1- or 5-minute trace read as 10-minute counts), else at the trace's own interval (10m for request traces).
     */
    TraceSeries.Loaded load(TraceSource src, Duration preferred) {
        TraceSeries.Loaded loaded = loadQuietly(src, preferred);
        // the rows --skip-bad-rows dropped were dropped without a word (simulate counts them in its summary)
        if (loaded.skippedRows() > 0)
            notes.println("note: " + io.prescale.core.text.Plural.count(loaded.skippedRows(), "malformed row", "malformed rows") + " of "
                    + src.id() + " skipped (--skip-bad-rows)");
        return loaded;
    }

    /** Where the notes on reading go: standard error (tests read them). */
    java.io.PrintStream notes = System.err;

    private TraceSeries.Loaded loadQuietly(TraceSource src, Duration preferred) {
        ReadOptions ro = new ReadOptions(skipBadRows);
        if (interval != null) {
            Duration step = Durations.parseOption("--interval", interval);
            // the forecasters' daily grid needs it; said here, it names the flag as written, not "got PT7M"
            if (step.isNegative() || step.isZero() || Duration.ofDays(1).toNanos() % step.toNanos() != 0)
                throw new ConfigException("--interval", "'" + interval + "' must divide one day evenly (e.g. 1m, 5m, 10m, 15m, 1h)");
            try {
                return TraceSeries.load(src, step, ro);
            } catch (TraceSeries.IntervalMismatch e) {
                // "counts-csv:x.csv has PT10M intervals: the forecasting interval (PT5M) must be ..." named no flag
                throw new ConfigException("--interval", e.getMessage());
            }
        }
        Duration own = TraceSeries.nativeInterval(src, ro);
        Duration chosen = defaultInterval(own, preferred);
        // a trace of 7-minute counts was read at 7 minutes and refused as "forecasting interval must divide one day evenly,
        // got PT7M", as if the user had asked for it. No --interval helps: one that divides a day and holds whole 7-minute
        // intervals would make 7 minutes divide a day
        if (Duration.ofDays(1).toNanos() % chosen.toNanos() != 0)
            throw new ConfigException("--trace", src.id() + " has " + Durations.format(chosen) + " intervals, which do not divide a day: "
                    + "the forecasters need an interval that does and that holds whole intervals of the trace, and none does; "
                    + "write the trace with intervals that divide a day (1m, 5m, 10m, 15m, 1h)");
        return TraceSeries.load(src, chosen, ro);
    }

    /** The interval without {@code --interval}: {@code preferred} if the trace's own ({@code null} for a request trace) adds up to it. */
    static Duration defaultInterval(Duration own, Duration preferred) {
        if (preferred != null && (own == null || (own.compareTo(preferred) <= 0 && preferred.toNanos() % own.toNanos() == 0))) return preferred;
        return own == null ? Duration.ofMinutes(10) : own;
    }

    EventCalendar calendar() {
        if (events != null && !java.nio.file.Files.isRegularFile(Path.of(events)))
            throw new ConfigException("--events", "no such file: " + events);
        EventCalendar c = events == null ? EventCalendar.EMPTY : EventCalendar.load(Path.of(events));
        try {
            return c.withHolidays(Holidays.parse(holidays));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--holidays", e.getMessage()); // was "unknown holiday set 'xx' (known: none, us)", no flag
        }
    }

    /** A lead must be whole intervals of the series: 25 min on a 10-minute series would be scored as 30 and labelled 25. */
    static void requireMultiple(java.time.Duration lead, java.time.Duration interval, String flag) {
        requireMultiple(lead, interval, flag, Durations.format(lead));
    }

    /** As {@link #requireMultiple(Duration, Duration, String)}, naming the value as the user wrote it (1d30m, not 1470m). */
    static void requireMultiple(java.time.Duration lead, java.time.Duration interval, String flag, String written) {
        if (lead.isNegative() || lead.isZero()) throw new ConfigException(flag, "must be > 0");
        if (lead.toNanos() % interval.toNanos() != 0)
            throw new ConfigException(flag, written.trim() + " is not a whole number of the series' "
                    + Durations.format(interval) + " intervals");
    }

    /**
     * The interval the artifact {@code file} of {@code forecaster} (gbt or prophet-style) was trained at, for reading the
     * series at it; errors name {@code flag}.
     */
    static Duration artifactInterval(String flag, String forecaster, java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) throw new ConfigException(flag, "no such file: " + file);
        try {
            return forecaster.equals("prophet-style") ? io.prescale.forecasting.artifact.Artifacts.readProphet(file).interval()
                    : io.prescale.forecasting.artifact.Artifacts.readGbt(file).interval();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag, e.getMessage());
        }
    }
}
