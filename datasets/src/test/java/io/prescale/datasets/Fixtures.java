package io.prescale.datasets;

import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The tiny hand-written fixture of every format (src/test/resources/fixtures). */
final class Fixtures {
    private Fixtures() {}

    private static final Map<TraceFormat, String> FILES = new EnumMap<>(Map.of(
            TraceFormat.SERVEGEN, "servegen/model_rates_10min.csv",
            TraceFormat.SERVEGEN_CLIENTS, "servegen-clients/client_rates_10min_top20.csv",
            TraceFormat.ALIBABA_GENAI, "alibaba-genai/lora_request_trace.csv",
            TraceFormat.AZURE_LLM, "azure-llm/AzureLLMInferenceTrace_code.csv",
            TraceFormat.MOONCAKE, "mooncake/conversation_trace.jsonl",
            TraceFormat.NASA, "nasa/nasa_requests_per_minute.csv",
            TraceFormat.REQUESTS_CSV, "requests-csv/requests.csv",
            TraceFormat.COUNTS_CSV, "counts-csv/counts.csv"));

    /** The fixture of a format; fails when a format ships none. */
    static Path of(TraceFormat format) {
        String name = FILES.get(format);
        if (name == null) throw new AssertionError("format " + format + " has no fixture: add one under src/test/resources/fixtures");
        return resource("fixtures/" + name);
    }

    static Path resource(String name) {
        URL url = Fixtures.class.getClassLoader().getResource(name);
        if (url == null) throw new AssertionError("test resource missing: " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static List<TraceRecord> readAll(TraceReader reader) {
        List<TraceRecord> out = new ArrayList<>();
        try (reader) {
            while (reader.hasNext()) out.add(reader.next());
        }
        return out;
    }

    static List<TraceRecord> readAll(TraceFormat format, Path file, ReadOptions options) {
        return readAll(format.open(file, options));
    }
}
