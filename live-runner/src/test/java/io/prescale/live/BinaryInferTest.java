package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.serve.ModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol's binary tensor data extension on /v2/models/{name}/infer (a JSON header whose
 * length is in Inference-Header-Content-Length, then raw little-endian tensors), the streaming JSON path,
 * and requests run directly on an idle replica; real server on loopback, real ONNX Runtime.
 */
class BinaryInferTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HEADER = "Inference-Header-Content-Length";
    @TempDir
    static Path dir;
    static LiveHarness h;

    @BeforeAll
    static void start() {
        h = new LiveHarness(dir);
        assertThat(h.post("/models", LiveHarness.register("mlp", "mlp.onnx", "\"minReplicas\":1")).statusCode()).isEqualTo(201);
        assertThat(h.post("/models", LiveHarness.register("ids", "ids.onnx", "\"minReplicas\":1")).statusCode()).isEqualTo(201);
        assertThat(h.post("/models", LiveHarness.register("batched", "affine.onnx",
                "\"batching\":{\"maxBatch\":8,\"maxQueueDelay\":\"1ms\"},\"minReplicas\":1")).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Two rows of 16 floats with fractions that JSON and binary must carry exactly. */
    static float[] input() {
        float[] x = new float[32];
        for (int i = 0; i < x.length; i++) x[i] = (i - 7) * 0.37f + 1f / 3;
        return x;
    }

    static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    HttpResponse<byte[]> postBytes(String path, byte[] body, String headerLength) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(h.url(path))).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength != null) r.header(HEADER, headerLength);
        try {
            return h.http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    /** A binary infer of the mlp model on {@link #input()}: header JSON then the 128 bytes of x. */
    HttpResponse<byte[]> binaryMlp(String requestParameters) {
        byte[] header = ("{\"id\":\"b1\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,16],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":128}}]"
                + requestParameters + "}").getBytes(StandardCharsets.UTF_8);
        return postBytes("/v2/models/mlp/infer", concat(header, floats(input())), Integer.toString(header.length));
    }

    float[] jsonOutput() throws IOException {
        String body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,16],\"datatype\":\"FP32\",\"data\":" + JSON.writeValueAsString(input()) + "}]}";
        var r = h.post("/v2/models/mlp/infer", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(r.body()).path("outputs").get(0).path("data");
        float[] y = new float[data.size()];
        for (int i = 0; i < y.length; i++) y[i] = (float) data.get(i).asDouble();
        return y;
    }

    @Test
    void binaryInputAndOutputEqualTheJsonAnswer() throws IOException {
        float[] expected = jsonOutput();
        assertThat(expected).hasSize(32);
        var r = binaryMlp(",\"parameters\":{\"binary_data_output\":true}");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        int headerLength = Integer.parseInt(r.headers().firstValue(HEADER).orElseThrow());
        JsonNode header = json(Arrays.copyOf(r.body(), headerLength));
        assertThat(header.path("id").asText()).isEqualTo("b1");
        JsonNode y = header.path("outputs").get(0);
        assertThat(y.path("name").asText()).isEqualTo("y");
        assertThat(y.path("shape").toString()).isEqualTo("[2,16]");
        assertThat(y.has("data")).isFalse();
        assertThat(y.path("parameters").path("binary_data_size").asInt()).isEqualTo(128);
        assertThat(r.body().length).isEqualTo(headerLength + 128);
        float[] got = new float[32];
        ByteBuffer.wrap(r.body(), headerLength, 128).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertThat(got).containsExactly(expected);
    }

    @Test
    void binaryInputWithJsonOutputAndPerOutputBinaryFlag() throws IOException {
        float[] expected = jsonOutput();
        var plain = binaryMlp("");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue(HEADER)).isEmpty();
        JsonNode data = json(plain.body()).path("outputs").get(0).path("data");
        for (int i = 0; i < expected.length; i++) assertThat((float) data.get(i).asDouble()).isEqualTo(expected[i]);
        var flagged = binaryMlp(",\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]");
        assertThat(flagged.statusCode()).isEqualTo(200);
        int headerLength = Integer.parseInt(flagged.headers().firstValue(HEADER).orElseThrow());
        assertThat(flagged.body().length - headerLength).isEqualTo(128);
    }

    @Test
    void int64BinaryInput() {
        // ids: out = ids + 10; 3 int64 little-endian, then asked back as binary
        byte[] header = "{\"inputs\":[{\"name\":\"ids\",\"shape\":[1,3],\"datatype\":\"INT64\",\"parameters\":{\"binary_data_size\":24}}],\"parameters\":{\"binary_data_output\":true}}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer ids = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        ids.putLong(1).putLong(-2).putLong(1L << 40);
        var r = postBytes("/v2/models/ids/infer", concat(header, ids.array()), Integer.toString(header.length));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        int headerLength = Integer.parseInt(r.headers().firstValue(HEADER).orElseThrow());
        ByteBuffer out = ByteBuffer.wrap(r.body(), headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new long[]{out.getLong(), out.getLong(), out.getLong()}).containsExactly(11, 8, (1L << 40) + 10);
    }

    static void assertError(HttpResponse<byte[]> r, String reasonContains) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        assertThat(json(r.body()).path("error").asText()).contains(reasonContains);
    }

    @Test
    void malformedBinaryRequestsAre400NamingTheProblem() {
        byte[] header = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,16],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":128}}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(header, floats(input()));
        assertError(postBytes("/v2/models/mlp/infer", body, "abc"), HEADER);
        assertError(postBytes("/v2/models/mlp/infer", body, "-1"), HEADER);
        assertError(postBytes("/v2/models/mlp/infer", body, Integer.toString(body.length + 1)), HEADER);
        // the header length cuts the JSON short
        assertError(postBytes("/v2/models/mlp/infer", body, Integer.toString(header.length - 5)), "malformed JSON");
        // binary data announced but no header to find where it starts
        assertError(postBytes("/v2/models/mlp/infer", body, null), HEADER);
    }

    @Test
    void binaryDataSizeMismatchesAre400() {
        String tmpl = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,16],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":%d}}]}";
        // size disagrees with the shape: 2 x 16 FP32 needs 128 bytes
        byte[] h100 = String.format(tmpl, 100).getBytes(StandardCharsets.UTF_8);
        assertError(postBytes("/v2/models/mlp/infer", concat(h100, new byte[100]), Integer.toString(h100.length)), "needs 128");
        // the size runs past the end of the body
        byte[] h128 = String.format(tmpl, 128).getBytes(StandardCharsets.UTF_8);
        assertError(postBytes("/v2/models/mlp/infer", concat(h128, new byte[64]), Integer.toString(h128.length)), "runs past the end");
        // bytes left over after every input took its share
        assertError(postBytes("/v2/models/mlp/infer", concat(h128, new byte[130]), Integer.toString(h128.length)), "add up to 128");
        // both data and binary_data_size
        byte[] both = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],\"parameters\":{\"binary_data_size\":64}}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertError(postBytes("/v2/models/mlp/infer", concat(both, new byte[64]), Integer.toString(both.length)), "both");
        // still serving
        assertThat(binaryMlp("").statusCode()).isEqualTo(200);
    }

    @Test
    void jsonInputsBeforeTheModelNameStillParse() {
        var r = h.post("/predict", "{\"inputs\":{\"x\":{\"data\":[[1,2,3,4]],\"shape\":[1,4]}},\"model\":\"batched\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(LiveApiTest.json(r).path("outputs").path("y").path("data").toString()).isEqualTo("[3.0,5.0,7.0,9.0]");
        var p = h.post("/v2/models/ids/infer", "{\"inputs\":[{\"data\":[1,2,3],\"shape\":[1,3],\"name\":\"ids\",\"datatype\":\"INT64\"}]}");
        assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
        assertThat(LiveApiTest.json(p).path("outputs").get(0).path("data").toString()).isEqualTo("[11,12,13]");
    }

    @Test
    void withoutBatchingAnIdleReplicaRunsTheRequestOnItsOwnThread() {
        ModelServer mlp = h.runtime.registry().get("mlp").orElseThrow();
        ModelServer batched = h.runtime.registry().get("batched").orElseThrow();
        long mlpBefore = mlp.directRuns(), batchedBefore = batched.directRuns();
        // one request at a time: the queue is empty each time, so the non-batching model runs each directly
        for (int i = 0; i < 3; i++) {
            assertThat(h.post("/predict", "{\"model\":\"mlp\",\"inputs\":{\"x\":{\"shape\":[1,16],\"data\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]}}}").statusCode()).isEqualTo(200);
            assertThat(h.post("/predict", "{\"model\":\"batched\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
        }
        assertThat(mlp.directRuns() - mlpBefore).isEqualTo(3);
        assertThat(batched.directRuns() - batchedBefore).as("a batching model always queues so requests can share a run").isZero();
        assertThat(mlp.totalCompleted()).isGreaterThanOrEqualTo(3);
    }
}
