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

    // ---- every status the handlers answer is documented, and every documented one is answered ----

    /** Documented statuses no request here makes the runner answer, by "method path status" ("*" any operation), and why. */
    private static final java.util.Map<String, String> NOT_ANSWERED_HERE = java.util.Map.of(
            "* 500", "the runner's own fault: no request makes it on purpose",
            "post /policies/{name}/activate 400", "a stored policy that no longer builds (its forecaster's files gone from the model store)");

    /** What the handlers answered, by "method path" (the document's path): statuses. */
    private final java.util.Map<String, java.util.Set<String>> answered = new java.util.TreeMap<>();

    private static final String X = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}";
    private static final String X2 = "\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]";
    /** A body above the limit of the harnesses below (64 KB). */
    private static final String HUGE = "{\"pad\":\"" + "x".repeat(70 << 10) + "\"}";
    private static final String[] INFER = {"/predict", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer"};
    private static final String[] CHANGES = {"post /models", "delete /models/{name}", "post /policies", "put /policies/{name}",
            "delete /policies/{name}", "post /policies/{name}/activate"};

    /** The request to {@code path} (a document's path) with its names filled in: model or policy {@code name}, version 1. */
    private static java.net.http.HttpRequest.Builder to(LiveHarness on, String path, String name) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(on.url(path.replace("{name}", name).replace("{version}", "1"))));
    }

    private static java.net.http.HttpRequest call(LiveHarness on, String method, String path, String name, String body, String... headers) {
        var b = to(on, path, name).method(method.toUpperCase(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b.build();
    }

    /** Sends it and checks the answer is one the document lists for the operation, its body as documented; recorded. */
    private HttpResponse<String> answer(LiveHarness on, String method, String path, String name, String body, String... headers) {
        return saw(method, path, on.send(call(on, method, path, name, body, headers)));
    }

    private HttpResponse<String> saw(String method, String path, HttpResponse<String> r) {
        String op = method.toLowerCase() + " " + path;
        JsonNode responses = doc.path("paths").path(path).path(method.toLowerCase()).path("responses");
        assertThat(responses.isMissingNode()).as(op + " is documented").isFalse();
        String status = Integer.toString(r.statusCode());
        assertThat(responses.has(status)).as(op + " answered " + status + " (" + r.body() + "), which the document does not list").isTrue();
        JsonNode schema = resolve(doc, responses.get(status)).path("content").path("application/json").path("schema");
        if (!schema.isMissingNode() && r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            List<String> problems = new ArrayList<>();
            check(doc, schema, parse(r.body()), "$", problems);
            assertThat(problems).as(op + " " + status + ": " + r.body()).isEmpty();
        }
        answered.computeIfAbsent(op, k -> new java.util.TreeSet<>()).add(status);
        return r;
    }

    /** {@code "METHOD PATH"} sent as it is (with an empty JSON body for a POST or PUT), its answer read back. */
    private static HttpResponse<String> raw(LiveHarness on, String requestLine) {
        boolean body = requestLine.startsWith("POST") || requestLine.startsWith("PUT");
        String request = requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (body ? "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" : "\r\n");
        String answer;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", on.server.port())) {
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int split = answer.indexOf("\r\n\r\n");
        String[] head = answer.substring(0, split).split("\r\n");
        java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.computeIfAbsent(head[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(head[i].substring(colon + 1).trim());
        }
        int status = Integer.parseInt(head[0].split(" ")[1]);
        String text = answer.substring(split + 4);
        return new HttpResponse<>() {
            @Override public int statusCode() { return status; }
            @Override public java.net.http.HttpRequest request() { return null; }
            @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
            @Override public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(headers, (a, b) -> true); }
            @Override public String body() { return text; }
            @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
            @Override public java.net.URI uri() { return java.net.URI.create(on.url("/")); }
            @Override public java.net.http.HttpClient.Version version() { return java.net.http.HttpClient.Version.HTTP_1_1; }
        };
    }

    private static String predictBody(String path, String model) {
        return path.equals("/predict") ? "{\"model\":\"" + model + "\"," + X + "}" : "{" + X2 + "}";
    }

    @Test
    void theStatusesTheHandlersAnswerAreTheDocumentedOnes() throws Exception {
        // the models and inference: a pool of 4 threads, 2 models at most, bodies up to 64 KB
        var small = new io.prescale.live.http.LiveServer.Settings("127.0.0.1", 0, java.util.Optional.empty(), 64 << 10, 1 << 20);
        try (LiveHarness m = new LiveHarness(dir.resolve("statuses-models"), small, 2, 3, LiveHarness.START,
                new io.prescale.live.registry.LocalPool.Capacity(4, List.of(), true))) {
            assertThat(answer(m, "post", "/models", "", LiveHarness.register("a", "affine.onnx", "\"minReplicas\":0")).statusCode()).isEqualTo(201);
            assertThat(answer(m, "post", "/models", "", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(409);
            assertThat(answer(m, "post", "/models", "", LiveHarness.register("big", "affine.onnx", "\"minReplicas\":4")).statusCode()).as("pool full").isEqualTo(409);
            assertThat(answer(m, "post", "/models", "", LiveHarness.register("wide", "affine.onnx", "\"resources\":{\"cpuThreads\":8}")).statusCode()).isEqualTo(400);
            assertThat(answer(m, "post", "/models", "", HUGE).statusCode()).isEqualTo(413);
            assertThat(answer(m, "post", "/models", "", LiveHarness.register("z", "affine.onnx", "\"minReplicas\":0")).statusCode()).isEqualTo(201);
            assertThat(answer(m, "post", "/models", "", LiveHarness.register("c", "affine.onnx", "")).statusCode()).as("--max-models").isEqualTo(429);
            answer(m, "get", "/models", "", null);
            assertThat(answer(m, "get", "/models/{name}", "a", null).statusCode()).isEqualTo(200);
            assertThat(answer(m, "get", "/models/{name}", "none", null).statusCode()).isEqualTo(404);
            for (String op : CHANGES) {
                String[] mp = op.split(" ");
                var r = answer(m, mp[0], mp[1], "a", mp[0].equals("delete") ? null : "{}", "Origin", "http://elsewhere.example");
                assertThat(r.statusCode()).as(op).isEqualTo(403);
            }
            // a name with a "%u" escape (UTF-16, which Jetty reads and the URL decoder does not): no client built on java.net.URI sends one, so it goes as raw bytes
            doc.path("paths").fields().forEachRemaining(path -> {
                if (path.getKey().contains("{")) path.getValue().fieldNames().forEachRemaining(method -> {
                    var r = saw(method, path.getKey(), raw(m, method.toUpperCase() + " " + path.getKey().replace("{name}", "m%u0041").replace("{version}", "1")));
                    assertThat(r.statusCode()).as(method + " " + path.getKey() + ": " + r.body()).isEqualTo(400);
                });
            });
            // a body sent compressed: the runner decodes no Content-Encoding
            for (String op : new String[]{"post /models", "post /predict", "post /v2/models/{name}/infer",
                    "post /v2/models/{name}/versions/{version}/infer", "post /policies", "put /policies/{name}"}) {
                String[] mp = op.split(" ");
                var r = answer(m, mp[0], mp[1], "a", "{}", "Content-Encoding", "gzip");
                assertThat(r.statusCode()).as(op).isEqualTo(415);
            }
            for (String path : INFER) {
                assertThat(answer(m, "post", path, "a", predictBody(path, "a")).statusCode()).as(path).isEqualTo(200);
                assertThat(answer(m, "post", path, "a", "{").statusCode()).as(path).isEqualTo(400);
                assertThat(answer(m, "post", path, "none", predictBody(path, "none")).statusCode()).as(path).isEqualTo(404);
                assertThat(answer(m, "post", path, "a", HUGE).statusCode()).as(path).isEqualTo(413);
            }
            assertThat(saw("post", INFER[2], m.send(call(m, "post", "/v2/models/a/versions/2/infer", "", "{" + X2 + "}"))).statusCode()).isEqualTo(404);
            var z = m.runtime.registry().get("z").orElseThrow();
            z.scaleTo(0);
            LiveHarness.await("z at zero", Duration.ofSeconds(10), () -> z.replicasReady() == 0);
            for (String path : new String[]{"/v2/models/{name}", "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}",
                    "/v2/models/{name}/versions/{version}/ready"}) {
                assertThat(answer(m, "get", path, "a", null).statusCode()).as(path).isEqualTo(200);
                assertThat(answer(m, "get", path, "none", null).statusCode()).as(path).isEqualTo(404);
                assertThat(saw("get", path, m.send(to(m, path, "a").method("GET", java.net.http.HttpRequest.BodyPublishers.ofString(HUGE)).build()))
                        .statusCode()).as(path).isEqualTo(413);
                if (path.endsWith("/ready")) assertThat(answer(m, "get", path, "z", null).statusCode()).as("z not ready").isEqualTo(503);
            }
            for (String path : new String[]{"/v2/health/live", "/v2/health/ready"}) {
                assertThat(answer(m, "get", path, "", null).statusCode()).isEqualTo(200);
                assertThat(saw("get", path, m.send(to(m, path, "").method("GET", java.net.http.HttpRequest.BodyPublishers.ofString(HUGE)).build()))
                        .statusCode()).as(path).isEqualTo(413);
            }
            for (String path : new String[]{"/v2", "/health", "/metrics", "/metrics.json", "/openapi.json"})
                assertThat(answer(m, "get", path, "", null).statusCode()).as(path).isEqualTo(200);

            // z has no replica and a takes the pool's 4 threads: 429, pool full
            m.runtime.registry().pool().scale(m.runtime.registry().get("a").orElseThrow(), 4);
            for (String path : INFER) assertThat(answer(m, "post", path, "z", predictBody(path, "z")).statusCode()).as(path).isEqualTo(429);
            m.runtime.registry().pool().scale(m.runtime.registry().get("a").orElseThrow(), 1);
            // z waits for a replica no arrival starts: its deadline passes in the queue, 504
            z.autoStartFromZero(false);
            String deadline = Long.toString(z.lastLoadNanos() / 1_000_000 + 250);
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
            for (String path : INFER)
                queued.add(m.http.sendAsync(call(m, "post", path, "z", predictBody(path, "z"), "X-Deadline-Ms", deadline), HttpResponse.BodyHandlers.ofString()));
            LiveHarness.await("3 queued", Duration.ofSeconds(10), () -> z.queueDepth() == 3);
            LiveHarness.await("their deadlines passed", Duration.ofSeconds(10), () -> {
                m.runtime.expireOverdue();
                return queued.stream().allMatch(java.util.concurrent.CompletableFuture::isDone);
            });
            for (int i = 0; i < INFER.length; i++) assertThat(saw("post", INFER[i], queued.get(i).get()).statusCode()).as(INFER[i]).isEqualTo(504);
            // a's runs take 2 s by its profile: a 500 ms deadline cannot be met by any retry, 422
            var a = m.runtime.registry().get("a").orElseThrow();
            for (int i = 0; i < 10_000; i++) a.latency().record(1, 2.0);
            for (String path : INFER)
                assertThat(answer(m, "post", path, "a", predictBody(path, "a"), "X-Deadline-Ms", "500").statusCode()).as(path).isEqualTo(422);
            assertThat(answer(m, "delete", "/models/{name}", "z", null).statusCode()).isEqualTo(200);
            assertThat(answer(m, "delete", "/models/{name}", "z", null).statusCode()).isEqualTo(404);
        }

        // policies: 3 at most
        try (LiveHarness p = new LiveHarness(dir.resolve("statuses-policies"), small, 2, 3)) {
            String one = "{\"name\":\"p1\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}";
            assertThat(answer(p, "post", "/policies", "", one).statusCode()).isEqualTo(201);
            assertThat(answer(p, "post", "/policies", "", one).statusCode()).isEqualTo(409);
            assertThat(answer(p, "post", "/policies", "", "{\"name\":\"u\",\"policy\":\"no.such\"}").statusCode()).isEqualTo(400);
            assertThat(answer(p, "post", "/policies", "", HUGE).statusCode()).isEqualTo(413);
            assertThat(answer(p, "put", "/policies/{name}", "p2", "{\"name\":\"p2\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(201);
            assertThat(answer(p, "put", "/policies/{name}", "p2", "{\"name\":\"p2\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(200);
            assertThat(answer(p, "put", "/policies/{name}", "p2", "{\"name\":\"p2\",\"policy\":\"no.such\"}").statusCode()).isEqualTo(400);
            assertThat(answer(p, "put", "/policies/{name}", "p2", HUGE).statusCode()).isEqualTo(413);
            assertThat(answer(p, "post", "/policies", "", "{\"name\":\"cheat\",\"policy\":\"oracle\"}").statusCode()).isEqualTo(201);
            assertThat(answer(p, "post", "/policies", "", "{\"name\":\"p4\",\"policy\":\"test.fixed\"}").statusCode()).as("--max-policies").isEqualTo(429);
            assertThat(answer(p, "put", "/policies/{name}", "p5", "{\"name\":\"p5\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(429);
            answer(p, "get", "/policies", "", null);
            assertThat(answer(p, "get", "/policies/{name}", "p1", null).statusCode()).isEqualTo(200);
            assertThat(answer(p, "get", "/policies/{name}", "none", null).statusCode()).isEqualTo(404);
            assertThat(answer(p, "get", "/policies/{name}", "p1", null, "Accept", "text/html").statusCode()).isEqualTo(406);
            assertThat(answer(p, "post", "/policies/{name}/activate", "p1", null).statusCode()).isEqualTo(200);
            assertThat(answer(p, "post", "/policies/{name}/activate", "none", null).statusCode()).isEqualTo(404);
            assertThat(answer(p, "post", "/policies/{name}/activate", "cheat", null).statusCode()).isEqualTo(409);
            assertThat(answer(p, "put", "/policies/{name}", "p1", "{\"name\":\"p1\",\"policy\":\"oracle\"}").statusCode()).as("the active one").isEqualTo(409);
            assertThat(answer(p, "delete", "/policies/{name}", "p2", null).statusCode()).isEqualTo(200);
            assertThat(answer(p, "delete", "/policies/{name}", "p2", null).statusCode()).isEqualTo(404);
        }

        // a token: every change without it is 401
        var tokened = new io.prescale.live.http.LiveServer.Settings("127.0.0.1", 0, java.util.Optional.of("t"), 64 << 10, 1 << 20);
        try (LiveHarness t = new LiveHarness(dir.resolve("statuses-token"), tokened)) {
            for (String op : CHANGES) {
                String[] mp = op.split(" ");
                assertThat(answer(t, mp[0], mp[1], "a", mp[0].equals("delete") ? null : "{}").statusCode()).as(op).isEqualTo(401);
            }
        }

        // bodies that keep their reads waiting below the floor (each read 1 s on this clock): 408
        BodyRateTest.StepClock clock = new BodyRateTest.StepClock(Duration.ofSeconds(1));
        try (LiveHarness slow = new LiveHarness(dir.resolve("statuses-slow"), io.prescale.live.http.LiveServer.Settings.loopback(0), clock)) {
            slow.runtime.register(io.prescale.core.config.Yaml.json().readValue(LiveHarness.register("a", "affine.onnx", ""),
                    io.prescale.live.registry.ModelRegistration.class));
            for (String op : new String[]{"post /models", "post /predict", "post /v2/models/{name}/infer", "post /v2/models/{name}/versions/{version}/infer",
                    "post /policies", "put /policies/{name}"}) {
                String[] mp = op.split(" ");
                var r = saw(mp[0], mp[1], trickle(slow, clock, mp[0].toUpperCase() + " " + mp[1].replace("{name}", "a").replace("{version}", "1")));
                assertThat(r.statusCode()).as(op + ": " + r.body()).isEqualTo(408);
            }
        }

        // a stopping runner: every new request is 503 with Retry-After: 1 while one in flight (queued for a replica) is waited for
        LiveHarness stopping = new LiveHarness(dir.resolve("statuses-stopping"));
        try {
            assertThat(stopping.post("/models", LiveHarness.register("q", "affine.onnx", "\"minReplicas\":0,\"timeout\":\"60s\"")).statusCode()).isEqualTo(201);
            var q = stopping.runtime.registry().get("q").orElseThrow();
            q.autoStartFromZero(false);
            q.scaleTo(0);
            LiveHarness.await("q at zero", Duration.ofSeconds(10), () -> q.replicasReady() == 0);
            var inFlight = stopping.http.sendAsync(call(stopping, "post", "/predict", "", predictBody("/predict", "q")), HttpResponse.BodyHandlers.ofString());
            LiveHarness.await("queued", Duration.ofSeconds(10), () -> q.queueDepth() == 1);
            var stop = java.util.concurrent.CompletableFuture.supplyAsync(() -> stopping.server.close(Duration.ofSeconds(30)));
            LiveHarness.await("the stop begun", Duration.ofSeconds(10), stopping.server::stopping);
            doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                var r = answer(stopping, method, path.getKey(), "q", method.equals("get") || method.equals("delete") ? null : "{}");
                assertThat(r.statusCode()).as(method + " " + path.getKey()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).as(method + " " + path.getKey()).contains("1");
                assertThat(resolve(doc, doc.path("paths").path(path.getKey()).path(method).path("responses").path("503")).path("headers").has("Retry-After"))
                        .as(method + " " + path.getKey() + " documents Retry-After on its 503").isTrue();
            }));
            q.scaleTo(1);
            assertThat(stop.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(inFlight.get().statusCode()).isEqualTo(200);
        } finally {
            stopping.runtime.close();
        }

        // and every status documented was answered above (or cannot be made to be, and says why)
        List<String> unanswered = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> op.getValue().path("responses").fieldNames()
                .forEachRemaining(status -> {
                    String key = op.getKey() + " " + path.getKey();
                    if (!answered.getOrDefault(key, java.util.Set.of()).contains(status) && !NOT_ANSWERED_HERE.containsKey(key + " " + status)
                            && !NOT_ANSWERED_HERE.containsKey("* " + status))
                        unanswered.add(key + " " + status);
                })));
        assertThat(unanswered).as("documented, never answered here").isEmpty();
    }

    /**
     * A body sent a byte per read of the server's, each read waiting 1 s on {@code clock}: 2 bytes in 2 s, below the floor.
     * Returns the answer's status line, as a response the check above reads.
     */
    private static HttpResponse<String> trickle(LiveHarness on, BodyRateTest.StepClock clock, String requestLine) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", on.server.port())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(20_000);
            long reads = clock.reads();
            var out = s.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            LiveHarness.await("the server's second read waiting", Duration.ofSeconds(10), () -> clock.reads() >= reads + 3);
            out.write('"');
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            return new RawResponse(status, body);
        }
    }

    /** A status and a JSON body read off a socket, as an HttpResponse for {@link #saw}. */
    private record RawResponse(int statusCode, String body) implements HttpResponse<String> {
        @Override public java.net.http.HttpRequest request() { throw new UnsupportedOperationException(); }
        @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        @Override public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(java.util.Map.of("Content-Type", List.of("application/json")), (a, b) -> true);
        }
        @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        @Override public java.net.URI uri() { throw new UnsupportedOperationException(); }
        @Override public java.net.http.HttpClient.Version version() { return java.net.http.HttpClient.Version.HTTP_1_1; }
    }

    // ---- a small OpenAPI schema check: $ref, oneOf, nullable, object, array, string (enum), integer, number, boolean ----

    static JsonNode answer(String path, String method, String status) {
        return answer(doc, path, method, status);
    }

    static JsonNode answer(JsonNode doc, String path, String method, String status) {
        JsonNode response = doc.path("paths").path(path).path(method).path("responses").path(status);
        JsonNode s = (response.isMissingNode() ? response : resolve(doc, response)).path("content").path("application/json").path("schema");
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
