package io.prescale.live;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static io.prescale.live.LiveApiTest.assertClientError;
import static io.prescale.live.LiveApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a robustness pass over the HTTP API, as a careless or hostile client would use it, found answered wrongly: a 500,
 * a 200 for a mistake, a status that says another thing, or a reason that misleads. Each is answered 4xx with its reason.
 */
class CarelessClientTest {
    @TempDir
    static Path dir;
    static LiveHarness h;
    static final String X = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}";

    @BeforeAll
    static void start() {
        h = new LiveHarness(dir);
        assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        var b = HttpRequest.newBuilder(URI.create(h.url(path))).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return h.send(b.build());
    }

    @Test
    void aMultipartMediaTypeInCapitalsIsAnUploadNotA500() throws Exception {
        // a media type is case-insensitive; Jetty's multipart parser threw "content type is not multipart/form-data": 500
        byte[] affine = Files.readAllBytes(h.store.resolve("affine.onnx"));
        HttpRequest lower = LiveHarness.upload(h.url("/models"), "{\"name\":\"caps\"}", affine);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        lower.bodyPublisher().orElseThrow().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override public void onSubscribe(java.util.concurrent.Flow.Subscription s) { s.request(Long.MAX_VALUE); }
            @Override public void onNext(java.nio.ByteBuffer b) { byte[] a = new byte[b.remaining()]; b.get(a); body.writeBytes(a); }
            @Override public void onError(Throwable t) {}
            @Override public void onComplete() {}
        });
        String type = lower.headers().firstValue("Content-Type").orElseThrow();
        var r = post("/models", type.replace("multipart/form-data", "Multipart/Form-Data"), body.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(h.delete("/models/caps").statusCode()).isEqualTo(200);
    }

    @Test
    void aCompressedBodyIs415NotMalformedJsonAndAnEncodingItDoesNotHaveIsNotIgnored() throws Exception {
        String predict = "{\"model\":\"affine\"," + X + "}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(predict.getBytes(StandardCharsets.UTF_8));
        }
        // gzip: was 400 "malformed JSON: Illegal character ((CTRL-CHAR, code 31))"
        var r = post("/predict", "application/json", gz.toByteArray(), "Content-Encoding", "gzip");
        assertClientError(r, 415, "Content-Encoding 'gzip' is not supported");
        assertThat(r.headers().firstValue("Accept-Encoding")).contains("identity");
        // br on a plain body: was served as if the header were not there
        assertClientError(post("/predict", "application/json", predict.getBytes(StandardCharsets.UTF_8), "Content-Encoding", "br"), 415, "'br'");
        assertClientError(post("/models", "application/json", "{}".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "deflate"), 415, "'deflate'");
        // identity is no coding at all
        assertThat(post("/predict", "application/json", predict.getBytes(StandardCharsets.UTF_8), "Content-Encoding", "identity").statusCode()).isEqualTo(200);
    }

    @Test
    void aMultipartBodyOtherThanFormDataIs415NotMalformedJson() throws Exception {
        byte[] body = "--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
        assertClientError(post("/models", "multipart/mixed; boundary=b", body), 415, "not multipart/mixed");
    }

    @Test
    void aRegistrationFieldOfAnotherJsonTypeIs400NamingItNotCoerced() {
        // Jackson's default coercions read "2" as 2, 5 as "5" and "0.9" as 0.9: each was registered (201)
        String[][] cases = {
                {"\"maxReplicas\":\"2\"", "maxReplicas", "want a whole number, not \"2\""},
                {"\"minReplicas\":true", "minReplicas", "want a whole number, not true"},
                {"\"slo\":{\"target\":\"0.9\"}", "slo.target", "want a number, not \"0.9\""},
                {"\"resources\":{\"cpuThreads\":\"1\"}", "resources.cpuThreads", "whole number"},
                {"\"priority\":3", "priority", "3 is not text"}};
        for (String[] c : cases) {
            var r = h.post("/models", LiveHarness.register("typed", "affine.onnx", c[0]));
            assertClientError(r, 400, c[2]);
            assertThat(json(r).path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        var r = h.post("/models", "{\"name\":5,\"file\":\"affine.onnx\"}");
        assertClientError(r, 400, "5 is not text");
        assertThat(json(r).path("field").asText()).isEqualTo("name");
        assertThat(h.runtime.registry().get("typed")).isEmpty();
        assertThat(h.runtime.registry().get("5")).isEmpty();
    }

    @Test
    void aModelFileOutsideTheStoreIs400EvenWhenTheNameIsTakenOrThePoolIsFull() {
        // the file was looked at only after the name and the pool: "../x.onnx" was answered 409 "already registered"
        var taken = h.post("/models", LiveHarness.register("affine", "../secret.onnx", ""));
        assertClientError(taken, 400, "must not contain '..'");
        assertThat(json(taken).path("field").asText()).isEqualTo("file");
        try (LiveHarness one = new LiveHarness(dir.resolve("one-thread"), new io.prescale.live.registry.LocalPool.Capacity(1, java.util.List.of(), true))) {
            assertThat(one.post("/models", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(201);
            // the pool's one thread is held: a registration with no such file was 409 "do not fit beside what is placed"
            for (String file : new String[]{"missing.onnx", "/etc/passwd", "../affine.onnx"}) {
                var r = one.post("/models", LiveHarness.register("b", file, ""));
                assertThat(r.statusCode()).as(file + ": " + r.body()).isEqualTo(400);
                assertThat(json(r).path("field").asText()).isEqualTo("file");
            }
            // a good file still meets the full pool
            assertClientError(one.post("/models", LiveHarness.register("b", "affine.onnx", "")), 409, "do not fit");
        }
    }

    @Test
    void anUnknownKeyInAnInferenceRequestIs400NotIgnored() {
        // "deadline_ms" was a request without a deadline, "output" one for every output: each answered 200
        assertClientError(h.post("/predict", "{\"model\":\"affine\"," + X + ",\"deadline_ms\":50}"), 400,
                "'deadline_ms': unknown key");
        assertClientError(h.post("/predict", "{\"model\":\"affine\"," + X + ",\"outputs\":[\"y\"]}"), 400, "(known: model, inputs, priority, deadlineMs)");
        String x2 = "\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]";
        assertClientError(h.post("/v2/models/affine/infer", "{" + x2 + ",\"output\":[{\"name\":\"y\"}]}"), 400,
                "'output': unknown key, did you mean outputs?");
        // the keys each form has still work
        assertThat(h.post("/predict", "{\"model\":\"affine\"," + X + ",\"priority\":\"high\",\"deadlineMs\":5000}").statusCode()).isEqualTo(200);
        assertThat(h.post("/v2/models/affine/infer", "{\"id\":\"1\"," + x2 + ",\"outputs\":[{\"name\":\"y\"}],\"parameters\":{}}").statusCode()).isEqualTo(200);
    }

    @Test
    void aValueOfTheWrongJsonTypeIsNamedAsSuchNotAsMissing() {
        // each said "'model' is missing", "'shape' is missing", "'data' is missing" or "unknown datatype '['"
        assertClientError(h.post("/predict", "{\"model\":5," + X + "}"), 400, "'model' must be a string (the registered model's name), not 5");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":\"1,4\",\"data\":[1,2,3,4]}}}"), 400,
                "'shape' must be an array of dimensions, not \"1,4\"");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":{\"v\":1}}}}"), 400,
                "'data' must be an array of values, not {\"v\":1}");
        assertClientError(h.post("/predict", "{\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":{\"v\":1}}},\"model\":\"affine\"}"), 400,
                "'data' must be an array of values, not {\"v\":1}"); // the inputs before the model: read as a tree
        assertClientError(h.post("/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":[\"FP32\"],\"data\":[1,2,3,4]}]}"), 400,
                "input 'x': datatype must be a string such as \"FP32\", not [\"FP32\"]");
        assertClientError(h.post("/predict", "{\"inputs\":{\"x\":{\"shape\":[1,4],\"datatype\":7,\"data\":[1,2,3,4]}},\"model\":\"affine\"}"), 400,
                "input 'x': datatype must be a string such as \"FP32\", not 7");
    }

    @Test
    void aBinaryOutputFlagThatIsNotTrueOrFalseIs400NotJsonUnasked() {
        String x2 = "\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]";
        // "yes" read as false: the client got JSON outputs it did not ask for, 200
        assertClientError(h.post("/v2/models/affine/infer", "{" + x2 + ",\"parameters\":{\"binary_data_output\":\"yes\"}}"), 400,
                "parameters.binary_data_output must be true or false, not \"yes\"");
        assertClientError(h.post("/v2/models/affine/infer", "{" + x2 + ",\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":1}}]}"), 400,
                "outputs[0].parameters.binary_data must be true or false, not 1");
        assertClientError(h.post("/v2/models/affine/infer", "{" + x2 + ",\"outputs\":[{\"name\":\"y\",\"parameters\":[]}]}"), 400,
                "outputs[0].parameters must be an object");
        var binary = h.post("/v2/models/affine/infer", "{" + x2 + ",\"parameters\":{\"binary_data_output\":true}}");
        assertThat(binary.statusCode()).isEqualTo(200);
        assertThat(binary.headers().firstValue("Inference-Header-Content-Length")).isPresent();
    }

    @Test
    void aNegativeInferenceHeaderLengthIsNamedAsNotANonNegativeInteger() {
        // was "Inference-Header-Content-Length is -1 but the body has only N bytes", as if the body were short
        var r = post("/v2/models/affine/infer", "application/octet-stream", "{}".getBytes(StandardCharsets.UTF_8), "Inference-Header-Content-Length", "-1");
        assertClientError(r, 400, "Inference-Header-Content-Length must be a non-negative integer, not '-1'");
    }

    @Test
    void aPolicyKeyGivenTwiceInYamlIs400NotTheLastOneWins() {
        // JSON bodies refuse it already; YAML stored the policy as "p3", the second name
        var r = h.put("/policies/p2", "schema: prescale.policy/v1\nname: p2\npolicy: test.fixed\nname: p3\n");
        assertClientError(r, 400, "Duplicate field 'name'");
        assertThat(json(r).path("error").asText()).contains("line 4");
        var nested = h.post("/policies", "name: p4\npolicy: test.fixed\nparams:\n  replicas: 1\n  replicas: 9\n");
        assertClientError(nested, 400, "Duplicate field 'replicas'");
        assertThat(h.get("/policies/p2").statusCode()).isEqualTo(404);
        assertThat(h.get("/policies/p3").statusCode()).isEqualTo(404);
        assertThat(h.get("/policies/p4").statusCode()).isEqualTo(404);
    }

    /** {@code request} sent as raw bytes; the whole answer, head and body. */
    private static String raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.server.port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jettysOwnRefusalsSayWhatWasWrongNotOnlyTheirStatus() throws Exception {
        // each was {"error":"bad request"} or "bad request: Bad Request", and a 505 "server error: Unknown Version"
        String[][] cases = {
                {"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(64 << 10) + "\r\n\r\n", "431", "request headers too large"},
                {"GET /" + "a".repeat(64 << 10) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414", "request line too long"},
                {"GET /health HTTP/9.9\r\nHost: x\r\n\r\n", "505", "bad request: HTTP version not supported"},
                {"GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", "400", "a path that climbs above the root"},
                {"POST /predict HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nContent-Length: 2\r\n\r\n{}", "417", "only 100-continue"}};
        for (String[] c : cases) {
            String answer = raw(c[0]);
            assertThat(answer).as(c[2]).startsWith("HTTP/1.1 " + c[1]).contains("application/json").contains(c[2]);
        }
    }

    @Test
    void aPathParameterWithAPercentThatIsNoEscapeIs400NotA500() throws Exception {
        // Jetty takes "%u0041" (a UTF-16 escape); Java's URL decoder, which reads the name, threw: 500 "internal error"
        for (String path : new String[]{"/models/m%u0041", "/v2/models/m%u0041/ready", "/policies/m%u0041"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("holds a '%' that is not an escape (%XX)");
        }
        assertThat(h.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void a405SaysWhichMethodsThePathTakesAndNamesTheMethodAsSent() throws Exception {
        // no Allow header (RFC 9110 requires one on a 405), and a method Javalin does not know was named "INVALID"
        String[][] cases = {{"GET /predict", "POST"}, {"DELETE /health", "GET, HEAD"}, {"PUT /models/affine", "DELETE, GET, HEAD"},
                {"BREW /models", "GET, HEAD, POST"}, {"GET /policies/p/activate", "POST"}};
        for (String[] c : cases) {
            String answer = raw(c[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
            assertThat(answer).as(c[0]).startsWith("HTTP/1.1 405").contains("Allow: " + c[1] + "\r\n")
                    .contains("method " + c[0].replace(" ", " not allowed on ") + " (it takes " + c[1] + ")");
        }
        assertThat(raw("BREW /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 404")
                .contains("no such endpoint: BREW /nothing");
    }

    @Test
    void aForecasterFileThatIsNoArtifactIs400WithoutTheServersFolders() throws Exception {
        // the reason named the file by its absolute path (the model store's place on the server) and ran on over lines
        var r = h.put("/policies/fc", "name: fc\npolicy: predictive.aws-style\nforecaster: \"gbt:artifact=affine.onnx\"\n");
        assertClientError(r, 400, "affine.onnx: not a valid prescale.gbt/v1 artifact");
        String reason = json(r).path("error").asText();
        assertThat(reason).doesNotContain(h.store.toRealPath().toString()).doesNotContain(dir.toString()).doesNotContain("\n");
        assertThat(h.get("/policies/fc").statusCode()).isEqualTo(404);
    }

    @Test
    void anInferRequestsIdOrAnInputsParametersOfAnotherTypeIs400NotDroppedUnsaid() {
        String x = "{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]";
        // an id of 5 was served, and the answer carried no id
        assertClientError(h.post("/v2/models/affine/infer", "{\"id\":5,\"inputs\":[" + x + "}]}"), 400, "'id' must be a string, not 5");
        assertClientError(h.post("/v2/models/affine/infer", "{\"inputs\":[" + x + ",\"parameters\":5}]}"), 400,
                "input 'x': 'parameters' must be an object, not 5");
        var named = h.post("/v2/models/affine/infer", "{\"id\":\"r1\",\"inputs\":[" + x + ",\"parameters\":{}}]}");
        assertThat(named.statusCode()).isEqualTo(200);
        assertThat(json(named).path("id").asText()).isEqualTo("r1");
        assertThat(h.post("/v2/models/affine/infer", "{\"id\":null,\"inputs\":[" + x + ",\"parameters\":null}]}").statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedChunkSaysTheBodyEndedEarlyNotOnlyEarlyEof() throws Exception {
        // "ZZZ" is no chunk size: the answer was "cannot read body: Early EOF"
        String answer = raw("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("it ended early (Early EOF): the connection closed, or a chunk of a chunked body was malformed");
    }

    @Test
    void malformedJsonIsExplainedToTheClientNotToTheServersProgrammer() {
        // Jackson advised "enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", named its own getters, and located
        // an unclosed object at "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]"
        String[][] cases = {
                {"{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[NaN,1,2,3]}}}", "Non-standard token 'NaN' (line 1, column"},
                {"{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[+1,1,2,3]}}}", "JSON spec does not allow numbers to have plus signs (line 1"},
                {"{\"model\":\"affine\",\"deadlineMs\":" + "[".repeat(1500) + "]".repeat(1500) + "}", "exceeds the maximum allowed (1000)"},
                {"{", "expected close marker for Object (start marker at line 1, column 1)"}};
        for (String[] c : cases) {
            var r = h.post("/predict", c[0]);
            assertClientError(r, 400, c[1]);
            assertThat(json(r).path("error").asText()).doesNotContain("enable `").doesNotContain("REDACTED").doesNotContain("StreamReadConstraints");
        }
        assertClientError(h.post("/models", "{\"name\":\"n\",\"maxReplicas\":Infinity}"), 400, "Non-standard token 'Infinity' (line 1");
        var yaml = h.post("/policies", "name: deep\npolicy: test.fixed\nparams: " + "[".repeat(1500) + "]".repeat(1500) + "\n");
        assertClientError(yaml, 400, "exceeds the maximum allowed (1000)");
        assertThat(json(yaml).path("error").asText()).doesNotContain("StreamReadConstraints");
    }
}
