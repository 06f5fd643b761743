package io.prescale.datasets.read;

import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import org.apache.commons.csv.CSVRecord;

import java.nio.file.Path;
import java.util.List;

/**
 * Alibaba GenTD26 (Stable Diffusion + LoRA serving) request trace: one request per row; model =
 * {@code checkpoint_model_version_id}, service time = {@code exec_time_seconds}, arrival =
 * {@code gmt_create} ({@code yyyy-MM-dd HH:mm:ss}, no zone, read as UTC). Failed and pending requests
 * are kept: they arrived and took capacity. A row without a model (the slice has 15 PENDING
 * requests that never got one) is read as model {@value #UNKNOWN_MODEL}, so the slice has 77 real models
 * plus that one.
 */
public final class AlibabaGenAiReader extends CsvTraceReader {
    public static final TraceFeatures FEATURES = new TraceFeatures(false, true, false, false, false);
    public static final String UNKNOWN_MODEL = "unknown";

    private final int time;
    private final int exec;
    private final int model;

    public AlibabaGenAiReader(Path file, ReadOptions options) {
        super(file, options, FEATURES, List.of("gmt_create", "exec_time_seconds", "checkpoint_model_version_id"));
        time = rows.column("gmt_create");
        exec = rows.column("exec_time_seconds");
        model = rows.column("checkpoint_model_version_id");
    }

    @Override
    protected TraceRecord parse(CSVRecord row) throws BadRowException {
        return new TraceRecord.Request(
                Timestamps.naiveUtc(row.get(time), "gmt_create"),
                row.get(model).isBlank() ? UNKNOWN_MODEL : Fields.modelName(row.get(model), "checkpoint_model_version_id"),
                Fields.optionalServiceSeconds(row.get(exec), "exec_time_seconds"),
                -1, -1);
    }
}
