package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.util.List;

/**
 * Azure LLM inference trace 2023 (Splitwise): {@code TIMESTAMP,ContextTokens,GeneratedTokens}, one
 * file per service. The model is the file name's last {@code _} part
 * ({@code AzureLLMInferenceTrace_code.csv} → {@code code}). Timestamps carry 7 fractional digits
 * (100 ns), no zone: read as UTC.
 */
public final class AzureLlmReader extends CsvTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(false, false, true, false, false);

    private final String model;
    private final int time;
    private final int input;
    private final int output;

    public AzureLlmReader(Path file, ReadOptions options) {
        super(file, options, FEATURES, List.of("TIMESTAMP", "ContextTokens", "GeneratedTokens"));
        model = modelName(file);
        time = rows.column("TIMESTAMP");
        input = rows.column("ContextTokens");
        output = rows.column("GeneratedTokens");
    }

    /** {@code AzureLLMInferenceTrace_conv.csv} → {@code conv}; a name without {@code _} is used whole. */
    public static String modelName(Path file) {
        String base = TraceFiles.baseName(file);
        int underscore = base.lastIndexOf('_');
        return underscore >= 0 && underscore < base.length() - 1 ? base.substring(underscore + 1) : base;
    }

    @Override
    protected TraceRecord parse(CSVRecord row) throws BadRowException {
        return new TraceRecord.Request(
                Timestamps.naiveUtc(row.get(time), "TIMESTAMP"),
                model,
                Double.NaN,
                Fields.nonNegativeInt(row.get(input), "ContextTokens"),
                Fields.nonNegativeInt(row.get(output), "GeneratedTokens"));
    }
}
