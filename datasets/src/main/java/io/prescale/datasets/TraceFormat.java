package io.prescale.datasets;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceReader;
import io.prescale.datasets.read.AlibabaGenAiReader;
import io.prescale.datasets.read.AzureLlmReader;
import io.prescale.datasets.read.CountsCsvReader;
import io.prescale.datasets.read.MooncakeReader;
import io.prescale.datasets.read.NasaReader;
import io.prescale.datasets.read.RequestsCsvReader;
import io.prescale.datasets.read.ServeGenClientReader;
import io.prescale.datasets.read.ServeGenModelReader;
import io.prescale.datasets.read.TraceFiles;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Every trace file format Prescale reads. Adding a format is one reader class plus one constant here.
 * {@link #features()} is what the format can carry; a reader's own {@code features()} may be narrower
 * (a {@code requests-csv} file without token columns declares no token counts).
 */
public enum TraceFormat {
    SERVEGEN("servegen", ServeGenModelReader.FEATURES, ServeGenModelReader::new,
            "ServeGen per-model request rates, 10-min windows (model_rates_10min.csv)"),
    SERVEGEN_CLIENTS("servegen-clients", ServeGenClientReader.FEATURES, ServeGenClientReader::new,
            "ServeGen per-client rates with fitted Gamma/Weibull inter-arrivals (client_rates_10min_top20.csv)"),
    ALIBABA_GENAI("alibaba-genai", AlibabaGenAiReader.FEATURES, AlibabaGenAiReader::new,
            "Alibaba GenTD26 diffusion-serving requests with execution times"),
    AZURE_LLM("azure-llm", AzureLlmReader.FEATURES, AzureLlmReader::new,
            "Azure LLM inference 2023 requests with token counts; model from the file name (_code, _conv)"),
    MOONCAKE("mooncake", MooncakeReader.FEATURES, MooncakeReader::new,
            "Mooncake FAST'25 JSONL requests (relative ms) with token counts"),
    NASA("nasa", NasaReader.FEATURES, NasaReader::new,
            "NASA KSC HTTP 1995 per-minute request counts with gap flags"),
    REQUESTS_CSV("requests-csv", RequestsCsvReader.FEATURES, RequestsCsvReader::new,
            "generic requests: timestamp,model[,input_tokens,output_tokens,service_time_s]"),
    COUNTS_CSV("counts-csv", CountsCsvReader.FEATURES, CountsCsvReader::new,
            "generic per-interval counts: interval_start,interval_s,model,count[,gap]");

    private final String id;
    private final TraceFeatures features;
    private final BiFunction<Path, ReadOptions, TraceReader> opener;
    private final String description;

    TraceFormat(String id, TraceFeatures features, BiFunction<Path, ReadOptions, TraceReader> opener, String description) {
        this.id = id;
        this.features = features;
        this.opener = opener;
        this.description = description;
    }

    /** The id used on the command line ({@code --trace ID:PATH}). */
    public String id() {
        return id;
    }

    /** What this format can carry. */
    public TraceFeatures features() {
        return features;
    }

    public String description() {
        return description;
    }

    /**
     * Opens a lazy reader over {@code file}. A missing file, a folder, an empty file or one without data
     * rows fails here with an {@link IllegalArgumentException} naming the path; a malformed row fails
     * (now or while reading) with a {@link io.prescale.core.trace.TraceFormatException}
     * ({@code file:line: reason}) unless {@code options} skip bad rows.
     */
    public TraceReader open(Path file, ReadOptions options) {
        TraceFiles.requireReadableFile(file);
        TraceReader reader = opener.apply(file, options);
        boolean hasData;
        try {
            hasData = reader.hasNext();
        } catch (RuntimeException e) {
            closeQuietly(reader, e);
            throw e;
        }
        if (!hasData) {
            long skipped = reader.skippedRows();
            closeQuietly(reader, null);
            // a JSONL file has no header: one of blank lines only read "a header but no data rows"
            throw new IllegalArgumentException(file + ": empty trace (" + (this == MOONCAKE ? "no records" : "a header but no data rows")
                    + (skipped > 0 ? "; " + skipped + " malformed rows skipped" : "") + ")");
        }
        return reader;
    }

    /** The format with this id; the message of the exception lists the known ids. */
    public static TraceFormat byId(String id) {
        for (TraceFormat f : values()) if (f.id.equals(id)) return f;
        throw new IllegalArgumentException("unknown trace format '" + id + "'"
                + io.prescale.core.config.DidYouMean.suffix(id, Arrays.stream(values()).map(TraceFormat::id).toList()) + " (known: " + ids() + ")");
    }

    /** All ids, comma-separated, in declaration order. */
    public static String ids() {
        return Arrays.stream(values()).map(TraceFormat::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }

    private static void closeQuietly(TraceReader reader, RuntimeException primary) {
        try {
            reader.close();
        } catch (UncheckedIOException e) {
            if (primary != null) primary.addSuppressed(e);
        }
    }
}
