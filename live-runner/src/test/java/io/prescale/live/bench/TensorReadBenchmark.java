package io.prescale.live.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.tensor.DataArrays;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorJson;
import io.prescale.live.tensor.TensorSpec;
import io.prescale.live.tensor.TensorStreamReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reading a {@code /predict} body's tensors: the JSON parser alone (the baseline) against the data arrays read
 * ahead from the bytes ({@link DataArrays}) with the parser over the rest, as the runner does. The bodies are
 * those the throughput bench sends ({@link InputSpec}: seeded random floats in [0, 1), written by Jackson).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TensorReadBenchmark {
    /** The runner's parser settings: its fast double parser on. */
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);

    @Param({"paddleocr-cls", "silero-vad", "mlp-small"})
    public String body;

    ModelSignature signature;
    byte[] bytes;

    @Setup
    public void setUp() throws Exception {
        signature = switch (body) {
            case "paddleocr-cls" -> new ModelSignature(List.of(new TensorSpec("x", ElementType.FP32, new long[]{-1, 3, 48, 192})), List.of());
            case "silero-vad" -> new ModelSignature(List.of(new TensorSpec("input", ElementType.FP32, new long[]{-1, 512}),
                    new TensorSpec("state", ElementType.FP32, new long[]{2, -1, 128}), new TensorSpec("sr", ElementType.INT64, new long[]{})), List.of());
            case "mlp-small" -> new ModelSignature(List.of(new TensorSpec("x", ElementType.FP32, new long[]{-1, 256})), List.of());
            default -> throw new IllegalArgumentException(body);
        };
        List<String> specs = body.equals("silero-vad") ? List.of("input=1,512", "state=2,1,128", "sr=@16000") : List.of();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", body);
        request.put("inputs", TensorJson.writeNamed(InputSpec.build(signature, specs, 1)));
        bytes = new ObjectMapper().writeValueAsBytes(request);
    }

    /** The parser on "inputs"' value, past "model". */
    static JsonParser atInputs(byte[] b, int length) throws IOException {
        JsonParser p = JSON.createParser(b, 0, length);
        while (p.nextToken() != JsonToken.FIELD_NAME || !p.currentName().equals("inputs")) { /* to "inputs" */ }
        p.nextToken();
        return p;
    }

    @Benchmark
    public Map<String, Tensor> jsonParser() throws IOException {
        try (JsonParser p = atInputs(bytes, bytes.length)) {
            return TensorStreamReader.tensors(TensorStreamReader.readNamed(p, signature, bytes.length / 2 + 1));
        }
    }

    @Benchmark
    public Map<String, Tensor> readAhead() throws IOException {
        DataArrays cut = DataArrays.scan(bytes, bytes.length);
        try (JsonParser p = atInputs(cut.body(), cut.length())) {
            return TensorStreamReader.tensors(TensorStreamReader.readNamed(p, signature, bytes.length / 2 + 1, cut));
        }
    }
}
