package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /openapi.json against what the runner really takes and answers: each body below is checked against the schema the
 * document gives for it (every field it holds documented with its type, every field the schema requires present).
 */
class OpenApiTest {
    @TempDir
    static Path dir;
    static LiveHarness h;
    static JsonNode doc;

    @BeforeAll
    static void start() {
        h = new LiveHarness(dir);
        doc = LiveApiTest.json(h.get("/openapi.json"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void theServerIsTheOneThatServedTheDocument() {
        // an absolute http://127.0.0.1:8080 sent generated clients to a port the runner may not be on
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("/");
    }

    @Test
    void theModelAndPredictAnswersAreTheDocumentedOnes() {
        var reg = h.post("/models", LiveHarness.register("affine", "affine.onnx", "\"batching\":{\"maxBatch\":4}"));
        assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
        conforms(answer("/models", "post", "201"), reg);
        String body = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}";
        conforms(request("/predict", "post"), body);
        var r = h.post("/predict", body);
        assertThat(r.statusCode()).isEqualTo(200);
        conforms(answer("/predict", "post", "200"), r);
        conforms(answer("/models", "get", "200"), h.get("/models"));
        JsonNode described = LiveApiTest.json(h.get("/models/affine"));
        assertThat(described.path("measured").has("latencyProfile")).isTrue(); // an optional field, here after a request
        conforms(answer("/models/{name}", "get", "200"), h.get("/models/affine"));
        conforms(answer("/v2/models/{name}/infer", "post", "200"),
                h.post("/v2/models/affine/infer", "{\"id\":\"a\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"));
        conforms(answer("/models/{name}", "get", "404"), h.get("/models/none"));
    }

    @Test
    void aScalarTensorIsOneValueNotAnArray() {
        // branchy's "flag" is an int64 scalar: shape [], data 1 (as Silero VAD's "sr" is sent: {"shape": [], "data": 16000})
        assertThat(h.post("/models", LiveHarness.register("branchy", "branchy.onnx", "")).statusCode()).isEqualTo(201);
        String x = "{\"shape\":[1,8],\"data\":[1,2,3,4,5,6,7,8]}";
        String body = "{\"model\":\"branchy\",\"inputs\":{\"x\":" + x + ",\"flag\":{\"shape\":[],\"data\":1}}}";
        conforms(request("/predict", "post"), body);
        var r = h.post("/predict", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        conforms(answer("/predict", "post", "200"), r);
        String infer = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,8],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6,7,8]},"
                + "{\"name\":\"flag\",\"shape\":[],\"datatype\":\"INT64\",\"data\":1}]}";
        conforms(request("/v2/models/{name}/infer", "post"), infer);
        var v2 = h.post("/v2/models/branchy/infer", infer);
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
        conforms(answer("/v2/models/{name}/infer", "post", "200"), v2);
    }

    @Test
    void thePolicyListIsTheDocumentedOneWithAndWithoutAnActivePolicy() {
        assertThat(h.post("/policies", "{\"name\":\"one\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}").statusCode()).isEqualTo(201);
        JsonNode none = LiveApiTest.json(h.get("/policies"));
        assertThat(none.path("active").isNull()).isTrue();
        conforms(answer("/policies", "get", "200"), h.get("/policies"));
        assertThat(h.post("/policies/one/activate", "").statusCode()).isEqualTo(200);
        assertThat(h.post("/models", LiveHarness.register("p", "ids.onnx", "")).statusCode()).isEqualTo(201);
        h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
        var list = h.get("/policies");
        assertThat(LiveApiTest.json(list).path("recentDecisions").size()).isPositive();
        conforms(answer("/policies", "get", "200"), list);
        conforms(answer("/policies/{name}", "get", "200"), h.get("/policies/one"));
    }

    @Test
    void theProtocolsServerMetadataAndTheVersionTheModelMetadataAdvertiseAreServed() {
        assertThat(h.post("/models", LiveHarness.register("ver", "affine.onnx", "")).statusCode()).isEqualTo(201);
        var server = h.get("/v2");
        assertThat(server.statusCode()).as(server.body()).isEqualTo(200);
        conforms(answer("/v2", "get", "200"), server);
        assertThat(LiveApiTest.json(server).path("extensions").toString()).contains("binary_tensor_data");
        var meta = h.get("/v2/models/ver");
        conforms(answer("/v2/models/{name}", "get", "200"), meta);
        assertThat(LiveApiTest.json(meta).path("versions").toString()).isEqualTo("[\"1\"]");
        // the version it advertises, under the protocol's version paths (clients such as Triton's put it in every call)
        assertThat(h.get("/v2/models/ver/versions/1").body()).isEqualTo(meta.body());
        assertThat(h.get("/v2/models/ver/versions/1/ready").statusCode()).isEqualTo(200);
        var infer = h.post("/v2/models/ver/versions/1/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
        assertThat(LiveApiTest.json(infer).path("outputs").get(0).path("data").toString()).isEqualTo("[3.0,5.0,7.0,9.0]");
        // and no other version
        for (var r : List.of(h.get("/v2/models/ver/versions/2"), h.get("/v2/models/ver/versions/2/ready"),
                h.post("/v2/models/ver/versions/2/infer", "{\"inputs\":[]}")))
            LiveApiTest.assertClientError(r, 404, "model 'ver' has no version '2' (its only version is 1)");
        LiveApiTest.assertClientError(h.get("/v2/models/none/versions/1"), 404, "no model named 'none'");
    }

    // ---- a small OpenAPI schema check: $ref, oneOf, nullable, object, array, string (enum), integer, number, boolean ----

    static JsonNode answer(String path, String method, String status) {
        return answer(doc, path, method, status);
    }

    static JsonNode answer(JsonNode doc, String path, String method, String status) {
        JsonNode s = doc.path("paths").path(path).path(method).path("responses").path(status).path("content").path("application/json").path("schema");
        assertThat(s.isMissingNode()).as(method.toUpperCase() + " " + path + " documents its " + status + " body").isFalse();
        return s;
    }

    static JsonNode request(String path, String method) {
        JsonNode s = doc.path("paths").path(path).path(method).path("requestBody").path("content").path("application/json").path("schema");
        assertThat(s.isMissingNode()).as(method.toUpperCase() + " " + path + " documents its body").isFalse();
        return s;
    }

    /** {@code r} conforms to what the document {@code on} serves says of its {@code status} answer to {@code method} {@code path}. */
    static void conforms(LiveHarness on, String path, String method, String status, HttpResponse<String> r) {
        JsonNode served = LiveApiTest.json(on.get("/openapi.json"));
        List<String> problems = new ArrayList<>();
        check(served, answer(served, path, method, status), parse(r.body()), "$", problems);
        assertThat(problems).as(r.body()).isEmpty();
    }

    static void conforms(JsonNode schema, HttpResponse<String> r) {
        conforms(schema, r.body());
    }

    static void conforms(JsonNode schema, String body) {
        List<String> problems = new ArrayList<>();
        check(doc, schema, parse(body), "$", problems);
        assertThat(problems).as(body).isEmpty();
    }

    private static JsonNode parse(String body) {
        try {
            return LiveApiTest.JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            schema = doc.at(ref.substring(1));
            assertThat(schema.isMissingNode()).as(ref).isFalse();
        }
        return schema;
    }

    static void check(JsonNode doc, JsonNode schemaOrRef, JsonNode v, String at, List<String> out) {
        JsonNode schema = resolve(doc, schemaOrRef);
        if (v.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) out.add(at + " is null, which the schema does not allow");
            return;
        }
        if (schema.has("oneOf")) {
            int matching = 0;
            for (JsonNode alternative : schema.get("oneOf")) {
                List<String> p = new ArrayList<>();
                check(doc, alternative, v, at, p);
                if (p.isEmpty()) matching++;
            }
            if (matching != 1) out.add(at + " matches " + matching + " of its oneOf alternatives: " + v);
            return;
        }
        switch (schema.path("type").asText("")) {
            case "object" -> {
                if (!v.isObject()) {
                    out.add(at + " is not an object: " + v);
                    return;
                }
                JsonNode props = schema.path("properties");
                for (JsonNode req : schema.path("required")) if (!v.has(req.asText())) out.add(at + "." + req.asText() + " is required but absent");
                v.fields().forEachRemaining(e -> {
                    String where = at + "." + e.getKey();
                    if (props.has(e.getKey())) check(doc, props.get(e.getKey()), e.getValue(), where, out);
                    else if (schema.path("additionalProperties").isObject()) check(doc, schema.get("additionalProperties"), e.getValue(), where, out);
                    else if (props.size() > 0) out.add(where + " is not documented");
                });
            }
            case "array" -> {
                if (!v.isArray()) {
                    out.add(at + " is not an array: " + v);
                    return;
                }
                for (int i = 0; i < v.size(); i++) check(doc, schema.path("items"), v.get(i), at + "[" + i + "]", out);
            }
            case "string" -> {
                if (!v.isTextual()) out.add(at + " is not a string: " + v);
                else if (schema.has("enum")) {
                    boolean listed = false;
                    for (JsonNode e : schema.get("enum")) listed |= e.asText().equals(v.asText());
                    if (!listed) out.add(at + " is '" + v.asText() + "', not one of " + schema.get("enum"));
                }
            }
            case "integer" -> {
                if (!v.isIntegralNumber()) out.add(at + " is not an integer: " + v);
            }
            case "number" -> {
                if (!v.isNumber()) out.add(at + " is not a number: " + v);
            }
            case "boolean" -> {
                if (!v.isBoolean()) out.add(at + " is not a boolean: " + v);
            }
            default -> { } // {}: any value
        }
    }
}
