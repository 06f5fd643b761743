package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.http.LiveServer;
import io.prescale.live.serve.ModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end over HTTP on loopback with real ONNX Runtime sessions on CPU. */
class LiveApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LiveHarness h;

    @BeforeAll
    static void start() {
        h = new LiveHarness(dir);
        assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx",
                "\"batching\":{\"maxBatch\":8,\"maxQueueDelay\":\"1ms\"},\"minReplicas\":1,\"maxReplicas\":3")).statusCode()).isEqualTo(201);
        assertThat(h.post("/models", LiveHarness.register("ids", "ids.onnx", "")).statusCode()).isEqualTo(201);
        assertThat(h.post("/models", LiveHarness.register("fixed", "fixed.onnx", "")).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    @Test
    void predictComputesTheModelOutput() {
        // affine: y = 2x + 1, so [1, 2, 3, 4] -> [3, 5, 7, 9]
        var r = h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode y = json(r).path("outputs").path("y");
        assertThat(y.path("shape").toString()).isEqualTo("[1,4]");
        assertThat(y.path("datatype").asText()).isEqualTo("FP32");
        assertThat(y.path("data").toString()).isEqualTo("[3.0,5.0,7.0,9.0]");
        // the runner's own time with the request, for clients to tell queueing from HTTP: "infer;dur=<ms>"
        String timing = r.headers().firstValue("Server-Timing").orElseThrow();
        assertThat(timing).matches("infer;dur=\\d+\\.\\d{3}");
        assertThat(io.prescale.live.bench.KeepAliveClient.serverMicros(timing)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void openInferenceProtocolFormWorks() {
        // ids: out = ids + 10, nested data is accepted
        var r = h.post("/v2/models/ids/infer", "{\"id\":\"r1\",\"inputs\":[{\"name\":\"ids\",\"shape\":[2,3],\"datatype\":\"INT64\",\"data\":[[1,2,3],[4,5,6]]}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("model_name").asText()).isEqualTo("ids");
        assertThat(body.path("id").asText()).isEqualTo("r1");
        assertThat(body.path("outputs").get(0).path("data").toString()).isEqualTo("[11,12,13,14,15,16]");
        var meta = h.get("/v2/models/ids");
        assertThat(meta.statusCode()).isEqualTo(200);
        assertThat(json(meta).path("inputs").get(0).path("datatype").asText()).isEqualTo("INT64");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnRows() throws Exception {
        int n = 24;
        var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < n; i++) {
            String body = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[" + i + ",0,0,0]}}}";
            futures.add(h.http.sendAsync(HttpRequest.newBuilder(URI.create(h.url("/predict"))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = futures.get(i).get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).path("outputs").path("y").path("data").get(0).asDouble()).isEqualTo(2.0 * i + 1);
        }
    }

    @Test
    void requestsQueuedWithoutAReplicaGoAsOneBatchAndEachGetsItsOwnRows() {
        // whether concurrent requests meet in a batch depends on timing; here they cannot miss each other: 8 wait in
        // the queue with no replica (a policy holding 0 starts none on arrival), then one replica starts and its first
        // batch takes all 8 (maxBatch 8), one row each
        try (LiveHarness own = new LiveHarness(dir.resolve("one-batch"))) {
            assertThat(own.post("/models", LiveHarness.register("b", "affine.onnx",
                    "\"batching\":{\"maxBatch\":8,\"maxQueueDelay\":\"1ms\"},\"minReplicas\":0,\"maxReplicas\":1")).statusCode()).isEqualTo(201);
            assertThat(own.post("/policies", "{\"name\":\"none\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":0}}").statusCode()).isEqualTo(201);
            assertThat(own.post("/policies", "{\"name\":\"one\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}").statusCode()).isEqualTo(201);
            assertThat(own.post("/policies/none/activate", "").statusCode()).isEqualTo(200);
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            ModelServer b = own.runtime.registry().get("b").orElseThrow();
            LiveHarness.await("b scaled to zero", Duration.ofSeconds(10), () -> b.replicasReady() == 0 && b.replicasStarting() == 0);
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 8; i++) {
                String body = "{\"model\":\"b\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[" + i + ",0,0,0]}}}";
                futures.add(own.http.sendAsync(HttpRequest.newBuilder(URI.create(own.url("/predict"))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            LiveHarness.await("all 8 queued", Duration.ofSeconds(10), () -> b.queueDepth() == 8);
            assertThat(b.latency().means()).as("nothing ran them yet").doesNotContainKey(8);
            assertThat(own.post("/policies/one/activate", "").statusCode()).isEqualTo(200);
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = futures.get(i).join();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                // affine: y = 2x + 1, so row [i, 0, 0, 0] gives 2i + 1 first
                assertThat(json(r).path("outputs").path("y").path("data").get(0).asDouble()).isEqualTo(2.0 * i + 1);
            }
            assertThat(b.latency().means()).as("a batch of 8 rows ran").containsKey(8);
        }
    }

    @Test
    void modelsListAndDescribe() {
        var list = h.get("/models");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).path("models").findValuesAsText("name")).contains("affine", "ids", "fixed");
        JsonNode d = json(h.get("/models/affine"));
        assertThat(d.path("state").asText()).isEqualTo("ready");
        assertThat(d.path("batchable").asBoolean()).isTrue();
        assertThat(d.path("pool").asText()).isEqualTo("cpu");
        assertThat(d.path("measured").path("loadTimeMs").asDouble()).isPositive();
        assertThat(d.path("inputs").get(0).path("shape").toString()).isEqualTo("[-1,4]");
        assertThat(json(h.get("/models/fixed")).path("batchable").asBoolean()).isFalse();
    }

    @Test
    void headAnswersWithTheStatusGetWouldAndNoBody() {
        // HEAD was 200 on any path a GET route matched, without running it: a client probing /models/none saw it exist
        for (String path : new String[]{"/models/none", "/v2/models/none", "/v2/models/none/ready", "/policies/none", "/models/affine",
                "/v2/models/affine/ready", "/models", "/health", "/metrics", "/metrics.json", "/openapi.json", "/v2/health/ready", "/v2", "/v2/models/affine/versions/2",
                "/predict", "/no/such"}) {
            int get = h.get(path).statusCode();
            var head = h.send(HttpRequest.newBuilder(URI.create(h.url(path))).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(get);
            assertThat(head.body()).as("HEAD " + path).isEmpty();
        }
        assertThat(h.get("/models/none").statusCode()).isEqualTo(404);
        assertThat(h.get("/predict").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsArePrometheusTextAndJson() {
        h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}");
        var m = h.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("# TYPE prescale_requests_total counter")
                .contains("prescale_requests_total{model=\"affine\",outcome=\"ok\"}")
                .contains("prescale_request_latency_seconds_bucket{model=\"affine\"")
                .contains("prescale_queue_depth{model=\"affine\"}")
                .contains("prescale_replicas{model=\"affine\",state=\"ready\"}")
                .contains("prescale_rejections_total{model=\"affine\",reason=\"queue_full\"}")
                .contains("prescale_cold_starts_total{model=\"affine\"}")
                .contains("prescale_cost_usd_total{model=\"affine\"}");
        var j = h.get("/metrics.json");
        assertThat(j.statusCode()).isEqualTo(200);
        assertThat(json(j).path("meters").findValuesAsText("name")).contains("prescale.requests", "prescale.replicas");
    }

    @Test
    void metricsJsonHasTheHistogramBucketsPrometheusShows() {
        for (int i = 0; i < 3; i++)
            assertThat(h.post("/predict", "{\"model\":\"ids\",\"inputs\":{\"ids\":{\"shape\":[1,3],\"data\":[1,2,3]}}}").statusCode()).isEqualTo(200);
        String text = h.get("/metrics").body();
        JsonNode meters = json(h.get("/metrics.json")).path("meters");
        for (String[] m : new String[][]{{"prescale.request.latency", "prescale_request_latency_seconds"}, {"prescale.batch.run", "prescale_batch_run_seconds"}}) {
            // Prometheus: prescale_request_latency_seconds_bucket{model="ids",le="0.001"} 0, cumulative, up to le="+Inf"
            java.util.Map<String, Double> prometheus = new java.util.LinkedHashMap<>();
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^" + m[1] + "_bucket\\{model=\"ids\",le=\"([^\"]+)\"} (\\S+)$").matcher(text);
            while (line.find()) prometheus.put(line.group(1), Double.parseDouble(line.group(2)));
            assertThat(prometheus).as(m[1] + " buckets in /metrics").hasSizeGreaterThan(10).containsEntry("+Inf", 3.0);
            JsonNode meter = null;
            for (JsonNode x : meters) if (x.path("name").asText().equals(m[0]) && x.path("tags").path("model").asText().equals("ids")) meter = x;
            assertThat(meter).as(m[0]).isNotNull();
            java.util.Map<String, Double> fromJson = new java.util.LinkedHashMap<>();
            meter.path("buckets").fields().forEachRemaining(e -> fromJson.put(e.getKey(), e.getValue().asDouble()));
            assertThat(fromJson).as(m[0] + " buckets in /metrics.json").containsExactlyEntriesOf(prometheus);
        }
    }

    @Test
    void openApiNamesEveryPath() {
        var r = h.get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = json(r).path("paths");
        for (String p : LiveServer.PATHS) assertThat(paths.has(p)).as("OpenAPI names " + p).isTrue();
    }

    @Test
    void openApiSaysWhatTheEndpointsAnswerAndWhichNeedTheToken() {
        JsonNode doc = json(h.get("/openapi.json"));
        // the bearer token as a security scheme, on every call the server asks it for (mutating /models and /policies)
        // and on no other: a generated client then sends it where it is needed
        assertThat(doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText()).isEqualTo("bearer");
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (op.getKey().equals("parameters")) return;
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            boolean guarded = !op.getKey().equals("get") && (path.getKey().startsWith("/models") || path.getKey().startsWith("/policies"));
            assertThat(op.getValue().has("security")).as(where + " declares the token").isEqualTo(guarded);
            if (guarded) assertThat(op.getValue().path("responses").has("401") && op.getValue().path("responses").has("403")).as(where + " documents 401 and 403").isTrue();
            // every body is read under --max-body, --min-request-rate and the bodies-in-flight budget
            if (op.getValue().has("requestBody"))
                for (String status : new String[]{"400", "408", "413", "429"})
                    assertThat(op.getValue().path("responses").has(status)).as(where + " documents " + status).isTrue();
        }));
        // the request headers both inference forms read, and Retry-After on what may be retried
        for (String p : new String[]{"/predict", "/v2/models/{name}/infer"}) {
            JsonNode op = doc.path("paths").path(p).path("post");
            assertThat(op.path("parameters").findValuesAsText("name")).as(p).contains("X-Priority", "X-Deadline-Ms");
            for (String status : new String[]{"429", "503"})
                assertThat(op.path("responses").path(status).path("headers").has("Retry-After")).as(p + " " + status).isTrue();
        }
        // a model without a ready replica is answered 503 by the protocol's readiness probe
        assertThat(doc.path("paths").path("/v2/models/{name}/ready").path("get").path("responses").has("503")).isTrue();
    }

    @Test
    void policyActivationScalesUpAndDownThroughTheControlLoop() {
        assertThat(h.post("/policies", "{\"name\":\"three\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":3}}").statusCode()).isEqualTo(201);
        assertThat(h.post("/policies", "{\"name\":\"one\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}").statusCode()).isEqualTo(201);
        var act = h.post("/policies/three/activate", "");
        assertThat(act.statusCode()).as(act.body()).isEqualTo(200);
        assertThat(json(act).path("controlInterval").asText()).isEqualTo("10s");
        ModelServer affine = h.runtime.registry().get("affine").orElseThrow();
        ModelServer fixed = h.runtime.registry().get("fixed").orElseThrow();
        h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
        LiveHarness.await("affine at 3 replicas", Duration.ofSeconds(30), () -> affine.replicasReady() == 3);
        // fixed has maxReplicas 4 by default, so 3 too; affine's max is 3
        LiveHarness.await("fixed at 3 replicas", Duration.ofSeconds(30), () -> fixed.replicasReady() == 3);
        assertThat(json(h.get("/models/affine")).path("replicas").path("ready").asInt()).isEqualTo(3);
        assertThat(h.post("/policies/one/activate", "").statusCode()).isEqualTo(200);
        h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
        LiveHarness.await("affine back to 1", Duration.ofSeconds(30), () -> affine.replicasReady() == 1);
        var predict = h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,0,0,0]}}}");
        assertThat(predict.statusCode()).isEqualTo(200);
        JsonNode list = json(h.get("/policies"));
        assertThat(list.path("active").asText()).isEqualTo("one");
        assertThat(list.path("recentDecisions").toString()).contains("ScaleModel");
        assertThat(h.runtime.policyStore().active()).contains("one");
    }

    @Test
    void activationStartsAFreshObservationIntervalSoEarlierTrafficIsNotLoad() {
        String body = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,0,0,0]}}}";
        for (int i = 0; i < 3; i++) assertThat(h.post("/predict", body).statusCode()).isEqualTo(200);
        assertThat(h.post("/policies", "{\"name\":\"fresh\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}").statusCode()).isEqualTo(201);
        assertThat(h.post("/policies/fresh/activate", "").statusCode()).isEqualTo(200);
        assertThat(h.post("/predict", body).statusCode()).isEqualTo(200);
        var obs = h.runtime.cluster().observe(h.clock.advance(Duration.ofSeconds(10)));
        var affine = obs.models().stream().filter(m -> m.model().equals("affine")).findFirst().orElseThrow();
        // only the request after activation counts, over the 10 s since activation (the 3 before it are gone)
        assertThat(affine.arrivals()).isEqualTo(1);
        assertThat(obs.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void winnerYamlFromASweepPostsAsIs() {
        String yaml = "schema: prescale.policy/v1\nname: winner-hpa\npolicy: reactive.hpa\nparams: {}\nobjective: least cost\n";
        var r = h.send(HttpRequest.newBuilder(URI.create(h.url("/policies"))).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(h.get("/policies/winner-hpa").statusCode()).isEqualTo(200);
        var put = h.put("/policies/winner-hpa", "policy: reactive.hpa\nparams: {}\n");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(h.delete("/policies/winner-hpa").statusCode()).isEqualTo(200);
        assertThat(h.get("/policies/winner-hpa").statusCode()).isEqualTo(404);
    }

    @Test
    void aPutThatCreatesAPolicyIs201AndOneThatReplacesIs200() {
        var created = h.put("/policies/put-new", "policy: reactive.hpa\nparams: {}\n");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/policies/put-new");
        var replaced = h.put("/policies/put-new", "policy: reactive.hpa\nparams: {tolerance: 0.2}\n");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(json(h.get("/policies/put-new")).path("params").path("tolerance").asDouble()).isEqualTo(0.2);
        assertThat(h.delete("/policies/put-new").statusCode()).isEqualTo(200);
    }

    // ---- every bad input: 4xx with a JSON reason, and the server keeps serving ----

    static void assertClientError(HttpResponse<String> r, int status, String reasonContains) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).contains(reasonContains);
    }

    @Test
    void malformedJsonIs400Everywhere() {
        for (String p : new String[]{"/models", "/policies", "/predict", "/v2/models/affine/infer"})
            assertClientError(h.post(p, "{\"broken\": "), 400, "malformed");
        assertThat(h.get("/models").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownModelIs404() {
        assertClientError(h.post("/predict", "{\"model\":\"no-such-model\",\"inputs\":{}}"), 404, "no-such-model");
        assertClientError(h.post("/v2/models/nope/infer", "{\"inputs\":[]}"), 404, "nope");
        assertClientError(h.get("/models/nope"), 404, "nope");
        assertClientError(h.delete("/models/nope"), 404, "nope");
        assertClientError(h.get("/no/such/endpoint"), 404, "no such endpoint");
    }

    @Test
    void wrongTensorsAre400NamingTheProblem() {
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,3],\"data\":[1,2,3]}}}"), 400, "dimension 1 is 3 but the model expects 4");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[4],\"data\":[1,2,3,4]}}}"), 400, "rank");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3]}}}"), 400, "holds 4 values");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[1,2,3,4]}}}"), 400, "datatype INT64");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,\"a\",3,4]}}}"), 400, "data[1]");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{}}"), 400, "missing input 'x'");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"z\":{\"shape\":[1],\"data\":[1]}}}"), 400, "unknown input 'z'");
        assertClientError(h.post("/predict", "{\"model\":\"ids\",\"inputs\":{\"ids\":{\"shape\":[1,3],\"data\":[1.5,2,3]}}}"), 400, "not an integer");
        assertClientError(h.post("/predict", "{\"inputs\":{}}"), 400, "'model' is missing");
        assertClientError(h.post("/predict", "[1,2]"), 400, "expected");
        assertThat(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
    }

    @Test
    void badInputsToAKnownModelAreCountedByModelAsBadRequests() {
        assertThat(h.post("/models", LiveHarness.register("counted", "ids.onnx", "")).statusCode()).isEqualTo(201);
        String ok = "{\"name\":\"ids\",\"shape\":[1,3],\"datatype\":\"INT64\",\"data\":[1,2,3]}";
        assertClientError(h.post("/predict", "{\"model\":\"counted\",\"inputs\":{\"ids\":{\"shape\":[1,2],\"data\":[1,2]}}}"), 400, "dimension 1");
        assertClientError(h.post("/predict", "{\"model\":\"counted\",\"priority\":\"urgent\",\"inputs\":{\"ids\":{\"shape\":[1,3],\"data\":[1,2,3]}}}"), 400, "priority");
        assertClientError(h.post("/predict", "{\"model\":\"counted\",\"inputs\":{\"ids\":"), 400, "malformed");
        assertClientError(h.post("/v2/models/counted/infer", "{\"inputs\":[{\"name\":\"ids\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}"), 400, "datatype");
        assertClientError(h.post("/v2/models/counted/infer", "{\"inputs\":[" + ok + "],\"outputs\":[{\"name\":\"nope\"}]}"), 400, "unknown output");
        // not the model's: an unknown model, and a served request
        assertClientError(h.post("/predict", "{\"model\":\"uncounted\",\"inputs\":{}}"), 404, "uncounted");
        assertThat(h.post("/v2/models/counted/infer", "{\"inputs\":[" + ok + "]}").statusCode()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).contains("prescale_rejections_total{model=\"counted\",reason=\"bad_request\"} 5.0")
                .doesNotContain("model=\"uncounted\"");
        // a 4xx of the client's own: no miss for a policy to answer with capacity
        assertThat(h.runtime.registry().get("counted").orElseThrow().totalDropped()).isZero();
        assertThat(h.delete("/models/counted").statusCode()).isEqualTo(200);
    }

    @Test
    void theSameTensorsGiveTheSameAnswerHoweverTheBodyIsLaidOut() {
        // the data arrays are read ahead of the JSON parser when they can be, and by it when they cannot:
        // y = 2x + 1 on [1, 2, 3, 4] in each layout
        for (String body : new String[]{
                "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}",
                "{\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}},\"model\":\"affine\"}",              // model after inputs
                "{\"model\":\"affine\",\"inputs\":{\"x\":{\"data\":[[1.0,2e0],[0.3e1,4]],\"shape\":[1,4]}}}",     // nested, before shape
                "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4],\"datatype\":\"FP32\"}}}"}) {
            var r = h.post("/predict", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(200);
            assertThat(json(r).path("outputs").path("y").path("data").toString()).as(body).isEqualTo("[3.0,5.0,7.0,9.0]");
        }
        for (String body : new String[]{
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}",
                "{\"inputs\":[{\"data\":[1,2,3,4],\"shape\":[1,4],\"datatype\":\"FP32\",\"name\":\"x\"}]}",   // data before its name
                "{\"parameters\":{\"data\":[1]},\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"}) {
            var r = h.post("/v2/models/affine/infer", body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(200);
            assertThat(json(r).path("outputs").get(0).path("data").toString()).as(body).isEqualTo("[3.0,5.0,7.0,9.0]");
        }
        // a data key outside the inputs (read ahead, then by the parser alone): the parser's answer, an unknown key
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"extra\":{\"data\":[9]},\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}"), 400,
                "'extra': unknown key");
        // a bad body read ahead still answers the parser's own message, position included
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}} x"), 400,
                "(line 1, column 67)"); // 67 in the original; 60 in the body with the data cut out
    }

    @Test
    void requestOptionsAndAskedOutputsAre400WhenWrong() {
        String x = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}";
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"priority\":5," + x + "}"), 400, "priority must be a string");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"priority\":\"urgent\"," + x + "}"), 400, "unknown priority 'urgent'");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"deadlineMs\":0," + x + "}"), 400, "deadlineMs must be a positive integer");
        // past a long: named as sent, not wrapped to 7766279631452241920
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"deadlineMs\":100000000000000000000," + x + "}"), 400, "not 100000000000000000000");
        // a deadline past a day is refused, not overflowed into a 500
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"deadlineMs\":9223372036854775807," + x + "}"), 400, "at most 86400000 ms");
        String in = "\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]";
        assertClientError(h.post("/v2/models/affine/infer", "{" + in + ",\"outputs\":[{\"name\":\"nope\"}]}"), 400, "unknown output 'nope' (the model gives [y])");
        assertClientError(h.post("/v2/models/affine/infer", "{" + in + ",\"outputs\":5}"), 400, "'outputs' must be an array");
        assertClientError(h.post("/v2/models/affine/infer", "{" + in + ",\"outputs\":[{}]}"), 400, "outputs[0].name is missing");
        var named = h.post("/v2/models/affine/infer", "{" + in + ",\"outputs\":[{\"name\":\"y\"}]}");
        assertThat(json(named).path("outputs").get(0).path("data").toString()).isEqualTo("[3.0,5.0,7.0,9.0]");
    }

    @Test
    void registrationsPastMaxModelsAre429UntilOneIsRemoved() {
        try (LiveHarness two = new LiveHarness(dir.resolve("two-models"), LiveServer.Settings.loopback(0), 2)) {
            assertThat(two.post("/models", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(two.post("/models", LiveHarness.register("b", "affine.onnx", "")).statusCode()).isEqualTo(201);
            assertClientError(two.post("/models", LiveHarness.register("c", "affine.onnx", "")), 429, "maximum of 2 models (serve --max-models)");
            assertThat(two.get("/models/c").statusCode()).isEqualTo(404);
            assertThat(two.delete("/models/a").statusCode()).isEqualTo(200);
            assertThat(two.post("/models", LiveHarness.register("c", "affine.onnx", "")).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void newPoliciesPastMaxPoliciesAre429ButReplacingOneIsTaken() throws Exception {
        try (LiveHarness two = new LiveHarness(dir.resolve("two-policies"), LiveServer.Settings.loopback(0), 2, 2)) {
            assertThat(two.post("/policies", fixed("a", 1)).statusCode()).isEqualTo(201);
            assertThat(two.post("/policies", fixed("b", 1)).statusCode()).isEqualTo(201);
            HttpResponse<String> full = two.post("/policies", fixed("c", 1));
            assertClientError(full, 429, "maximum of 2 policies (serve --max-policies)");
            assertThat(full.headers().firstValue("Retry-After")).as("only a removal makes room, as for --max-models").isEmpty();
            assertClientError(two.put("/policies/c", fixed("c", 1)), 429, "--max-policies"); // a PUT of a new name is a new policy
            // a name no policy may have is a 400 naming the field, full store or not
            assertClientError(two.put("/policies/.hidden", fixed(".hidden", 1)), 400, "use letters, digits");
            assertThat(two.get("/policies/c").statusCode()).isEqualTo(404);
            // replacing a stored one adds nothing: taken when full
            assertThat(two.put("/policies/a", fixed("a", 3)).statusCode()).isEqualTo(200);
            assertThat(json(two.get("/policies/a")).path("params").path("replicas").asInt()).isEqualTo(3);
            // refused before its body is read: a client that sends a few bytes and stops is answered at once, not after
            // the 10 s a stalled body is waited for (408)
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", two.server.port())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(("POST /policies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{\"name\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(status).isEqualTo("HTTP/1.1 429");
            }
            assertThat(two.delete("/policies/b").statusCode()).isEqualTo(200);
            assertThat(two.post("/policies", fixed("c", 1)).statusCode()).isEqualTo(201);
            assertThat(json(two.get("/policies")).path("policies")).hasSize(2);
        }
    }

    private static String fixed(String name, int replicas) {
        return "{\"name\":\"" + name + "\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":" + replicas + "}}";
    }

    @Test
    void aRegistrationAsTheRunnerShutsDownIs503() {
        // the registry closes before the HTTP server stops: a registration in between is refused as unavailable, not a
        // 500 "internal error: IllegalStateException"
        try (LiveHarness closing = new LiveHarness(dir.resolve("closing"))) {
            closing.runtime.registry().close();
            assertClientError(closing.post("/models", LiveHarness.register("late", "affine.onnx", "\"minReplicas\":0")), 503,
                    "the runner is shutting down: 'late' was not registered");
        }
    }

    @Test
    void oversizedBodyIs413() {
        try (LiveHarness small = new LiveHarness(dir.resolve("small"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 1024, 1 << 20))) {
            String big = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}},\"pad\":\"" + "x".repeat(4096) + "\"}";
            assertClientError(small.post("/predict", big), 413, "limit");
            assertThat(small.get("/models").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPolicyBodyAboveASmallerMaxBodyNamesMaxBody() {
        // --max-body of 1,024 bytes is below a policy file's 256 KiB: the 413 names the limit that refused it
        try (LiveHarness small = new LiveHarness(dir.resolve("small"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 1024, 1 << 20))) {
            String padded = "{\"name\":\"big\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1},\"description\":\"" + "x".repeat(4096) + "\"}";
            assertClientError(small.post("/policies", padded), 413, "above the limit of 1024 (--max-body)");
        }
    }

    @Test
    void aPolicyBodyIsLimitedTo256KiBThoughOtherBodiesMayBeLarger() {
        // GET /policies answers with every stored file: 100 files of the 16 MB --max-body would make one answer of 1.6 GB
        String padded = "{\"name\":\"big\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1},\"description\":\"" + "x".repeat(300 << 10) + "\"}";
        assertClientError(h.post("/policies", padded), 413, "above the limit of 262144 (a policy file's limit)");
        assertClientError(h.put("/policies/big", padded), 413, "a policy file's limit");
        assertThat(h.get("/policies/big").statusCode()).isEqualTo(404);
        // a /predict body of the same size is read (and refused for its contents, not its size)
        String bigPredict = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}},\"pad\":\"" + "x".repeat(300 << 10) + "\"}";
        assertThat(h.post("/predict", bigPredict).statusCode()).isNotEqualTo(413);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AtTheLimitNotAtItsEnd() {
        // no Content-Length, so the server cannot refuse up front: it must stop buffering at the limit (1,024 bytes).
        // "more than 1024 bytes" is only said by the bounded read; a server that buffered all 8 MiB first would
        // say "body of 8388608 bytes"
        long offered = 8L << 20;
        try (LiveHarness small = new LiveHarness(dir.resolve("chunked"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 1024, 1 << 20))) {
            assertThat(small.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
            for (String path : new String[]{"/predict", "/v2/models/affine/infer", "/models", "/policies"}) {
                java.io.InputStream spaces = new java.io.InputStream() {
                    long left = offered;

                    @Override
                    public int read() {
                        return left-- > 0 ? ' ' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) return -1;
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) ' ');
                        left -= n;
                        return n;
                    }
                };
                var r = small.send(HttpRequest.newBuilder(URI.create(small.url(path))).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> spaces)).build());
                assertClientError(r, 413, "body of more than 1024 bytes is above the limit of 1024");
                assertThat(r.headers().firstValue("Connection")).as(path).contains("close");
            }
            assertThat(small.get("/models").statusCode()).isEqualTo(200);
        }
    }

    static HttpRequest upload(LiveHarness on, String spec, byte[] model) {
        return LiveHarness.upload(on.url("/models"), spec, model);
    }

    @Test
    void aModelUploadedWithItsRegistrationServesAndAFailedOneLeavesNoFile() throws Exception {
        byte[] affine = java.nio.file.Files.readAllBytes(h.store.resolve("affine.onnx"));
        var r = h.send(upload(h, "{\"name\":\"uploaded\",\"resources\":{\"cpuThreads\":1}}", affine));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).path("file").asText()).isEqualTo("uploads/uploaded.onnx");
        assertThat(h.store.resolve("uploads/uploaded.onnx")).hasBinaryContent(affine);
        // the uploaded affine model computes y = 2x + 1
        var y = h.post("/predict", "{\"model\":\"uploaded\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,1,2,3]}}}");
        assertThat(json(y).path("outputs").path("y").path("data").toString()).isEqualTo("[1.0,3.0,5.0,7.0]");

        assertClientError(h.send(upload(h, "{\"name\":\"uploaded\"}", affine)), 409, "already registered");
        assertThat(h.store.resolve("uploads/uploaded.onnx")).hasBinaryContent(affine);

        assertClientError(h.send(upload(h, "{\"name\":\"junk\"}", "not a model".getBytes())), 400, "not a model ONNX Runtime can load");
        assertThat(h.store.resolve("uploads/junk.onnx")).doesNotExist();
        assertThat(h.get("/models/junk").statusCode()).isEqualTo(404);
        assertClientError(h.send(upload(h, "{\"resources\":{}}", affine)), 400, "name");
        // a body cut off inside the file part
        String cut = "--b\r\nContent-Disposition: form-data; name=\"spec\"\r\n\r\n{\"name\":\"cut\"}\r\n--b\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n\r\nabc";
        assertClientError(h.send(HttpRequest.newBuilder(URI.create(h.url("/models"))).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(cut)).build()), 400, "malformed multipart body");
        assertThat(h.get("/models/cut").statusCode()).isEqualTo(404);
    }

    @Test
    void anUploadOverItsLimitIs413() {
        try (LiveHarness small = new LiveHarness(dir.resolve("upload-limit"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 1 << 20, 1024))) {
            var r = small.send(upload(small, "{\"name\":\"big\"}", new byte[4096]));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(small.store.resolve("uploads/big.onnx")).doesNotExist();
            assertThat(small.get("/models").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void registrationMistakesAre4xxNamingTheField() {
        assertClientError(h.post("/models", LiveHarness.register("evil", "../state/models/affine.json", "")), 400, "file");
        assertClientError(h.post("/models", LiveHarness.register("evil", "/etc/passwd", "")), 400, "absolute");
        assertClientError(h.post("/models", LiveHarness.register("evil", "missing.onnx", "")), 400, "no such file");
        assertClientError(h.post("/models", LiveHarness.register("bad name!", "affine.onnx", "")), 400, "name");
        assertClientError(h.post("/models", LiveHarness.register("b", "affine.onnx", "\"batching\":{\"maxBatch\":0}")), 400, "batching.maxBatch");
        assertClientError(h.post("/models", LiveHarness.register("b", "affine.onnx", "\"colour\":\"red\"")), 400, "colour");
        assertClientError(h.post("/models", LiveHarness.register("b", "affine.onnx", "\"timeout\":\"soon\"")), 400, "timeout");
        // the field's path and the reason in words, not Jackson's "Cannot deserialize value of type"
        var fast = h.post("/models", LiveHarness.register("b", "affine.onnx", "\"slo\":{\"latency\":\"fast\"}"));
        assertClientError(fast, 400, "slo.latency");
        assertThat(fast.body()).contains("not a duration").doesNotContain("Cannot deserialize");
        var threads = h.post("/models", LiveHarness.register("b", "affine.onnx", "\"resources\":{\"cpuThreads\":\"two\"}"));
        assertClientError(threads, 400, "resources.cpuThreads");
        assertThat(threads.body()).contains("want a whole number, not \\\"two\\\"").doesNotContain("Cannot deserialize").doesNotContain("Cannot coerce");
        assertClientError(h.post("/models", LiveHarness.register("affine", "affine.onnx", "")), 409, "already registered");
        assertThat(h.get("/models/evil").statusCode()).isEqualTo(404);
    }

    @Test
    void notAnOnnxFileIs400() throws Exception {
        java.nio.file.Files.writeString(h.store.resolve("junk.onnx"), "this is not a protobuf");
        assertClientError(h.post("/models", LiveHarness.register("junk", "junk.onnx", "")), 400, "not a model ONNX Runtime can load");
    }

    @Test
    void aRequestWhoseOwnRowsOutlastItsDeadlineIs422NotARetry() {
        assertThat(h.post("/models", LiveHarness.register("slow", "affine.onnx", "")).statusCode()).isEqualTo(201);
        // the measured profile says a run takes 2 s (10,000 runs of 2 s; the warm-up run is not a measurement)
        var server = h.runtime.registry().get("slow").orElseThrow();
        for (int i = 0; i < 10_000; i++) server.latency().record(1, 2.0);
        String x = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}";
        var tooShort = h.post("/predict", "{\"model\":\"slow\",\"deadlineMs\":500," + x + "}");
        assertClientError(tooShort, 422, "on an idle replica, more than its 500 ms deadline");
        assertThat(tooShort.headers().firstValue("Retry-After")).isEmpty(); // retrying cannot help
        assertThat(server.totalDropped()).isZero(); // the client's own mistake: no miss for the policy to answer with capacity
        assertThat(h.post("/predict", "{\"model\":\"slow\",\"deadlineMs\":10000," + x + "}").statusCode()).isEqualTo(200);
        assertThat(h.delete("/models/slow").statusCode()).isEqualTo(200);
    }

    @Test
    void aPolicyFileNamingItsForecasterRunsWithItAndABadOneIs400() {
        assertClientError(h.post("/policies", "{\"name\":\"fc-bad\",\"policy\":\"predictive.headroom\",\"forecaster\":\"prophecy\"}"), 400,
                "unknown forecaster 'prophecy'");
        assertThat(h.post("/policies", "{\"name\":\"fc-naive\",\"policy\":\"predictive.headroom\",\"forecaster\":\"seasonal-naive\"}").statusCode())
                .isEqualTo(201);
        assertThat(h.get("/policies/fc-naive").body()).contains("seasonal-naive");
        assertThat(h.delete("/policies/fc-naive").statusCode()).isEqualTo(200);
        // a file it names stays inside the model store, as a model's file does: a posted policy opens no other file
        assertClientError(h.post("/policies", "{\"name\":\"fc-abs\",\"policy\":\"predictive.headroom\",\"forecaster\":\"gbt:artifact=/etc/passwd\"}"),
                400, "forecaster.artifact");
        assertClientError(h.post("/policies", "{\"name\":\"fc-up\",\"policy\":\"predictive.headroom\",\"forecaster\":\"prophet-style:events=../x.csv\"}"),
                400, "must not contain '..'");
    }

    @Test
    void aPolicyBodyOfTwoYamlDocumentsIsRefusedNamingTheSecond() {
        // the second document was dropped without a word: "b" looked posted and was not
        String two = "schema: prescale.policy/v1\nname: two-a\npolicy: reactive.hpa\n---\nname: two-b\npolicy: reactive.hpa\n";
        for (var r : java.util.List.of(h.send(HttpRequest.newBuilder(URI.create(h.url("/policies"))).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(two)).build()), h.put("/policies/two-a", two)))
            assertClientError(r, 400, "a second YAML document (from line 5): post one policy file per request");
        assertThat(h.get("/policies/two-a").statusCode()).isEqualTo(404);
        assertThat(h.get("/policies/two-b").statusCode()).isEqualTo(404);
        // one document with its start and end markers is one policy
        var one = h.put("/policies/two-a", "---\npolicy: reactive.hpa\n...\n");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
        assertThat(h.delete("/policies/two-a").statusCode()).isEqualTo(200);
    }

    @Test
    void aPolicyTickingTooOftenIsRefusedNamingTheParameterThatSetsIt() {
        // each policy names its interval its own way (tick, syncPeriod, metricsInterval): the 400 names the one given
        for (String[] c : new String[][]{{"keepalive.fixed", "tick"}, {"reactive.hpa", "syncPeriod"}, {"reactive.ray-serve", "metricsInterval"}}) {
            var r = h.post("/policies", "{\"name\":\"fast\",\"policy\":\"" + c[0] + "\",\"params\":{\"" + c[1] + "\":\"500ms\"}}");
            assertClientError(r, 400, "the live runner ticks at most once every 1s");
            assertThat(json(r).path("field").asText()).as(c[0]).isEqualTo("params." + c[1]);
        }
        assertThat(h.get("/policies/fast").statusCode()).isEqualTo(404);
    }

    @Test
    void aPolicyIsAnsweredAsYamlWhenAskedAndAnUnservableAcceptIs406() throws Exception {
        assertThat(h.post("/policies", "{\"name\":\"as-yaml\",\"policy\":\"reactive.hpa\",\"params\":{\"tolerance\":0.2}}").statusCode()).isEqualTo(201);
        java.util.function.Function<String, HttpResponse<String>> get = accept -> h.send(HttpRequest.newBuilder(URI.create(h.url("/policies/as-yaml")))
                .header("Accept", accept).GET().build());
        JsonNode asJson = json(h.get("/policies/as-yaml"));
        var yaml = get.apply("application/yaml");
        assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(yaml.body()).doesNotStartWith("{").contains("policy: reactive.hpa");
        assertThat(io.prescale.core.config.Yaml.yaml().readTree(yaml.body())).isEqualTo(asJson);
        // what comes back posts back as is
        assertThat(h.put("/policies/as-yaml", yaml.body()).statusCode()).isEqualTo(200);
        // the preferred of the types named, by quality; a browser's list takes JSON
        for (String accept : new String[]{"application/json", "text/html,application/xhtml+xml,*/*;q=0.8", "application/yaml;q=0.5, application/json", "*/*"}) {
            var r = get.apply(accept);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(accept).startsWith("application/json");
            assertThat(json(r)).as(accept).isEqualTo(asJson);
        }
        assertThat(get.apply("text/csv, application/json;q=0.1, application/x-yaml;q=0.9").headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertClientError(get.apply("text/csv"), 406, "application/json or application/yaml");
        assertClientError(get.apply("application/json;q=0"), 406, "application/json or application/yaml");
        assertThat(h.delete("/policies/as-yaml").statusCode()).isEqualTo(200);
    }

    @Test
    void invalidPoliciesAre400NamingTheField() {
        assertClientError(h.post("/policies", "{\"name\":\"p1\",\"policy\":\"no.such\"}"), 400, "policy");
        // a misspelt id or parameter: the one it was meant to be, as simulate says it
        assertClientError(h.post("/policies", "{\"name\":\"p1\",\"policy\":\"reactive.hpx\"}"), 400, "unknown policy 'reactive.hpx', did you mean reactive.hpa? (known: ");
        assertClientError(h.post("/policies", "{\"name\":\"p1\",\"policy\":\"reactive.hpa\",\"params\":{\"tolerence\":0.1}}"), 400,
                "unknown parameter, did you mean tolerance? (known: ");
        assertClientError(h.post("/policies", "{\"name\":\"p1\",\"policy\":\"reactive.hpa\",\"params\":{\"tolerance\":-1}}"), 400, "tolerance");
        assertClientError(h.post("/policies", "{\"name\":\"p1\",\"policy\":\"reactive.hpa\",\"params\":{\"nope\":1}}"), 400, "params.nope");
        assertClientError(h.post("/policies", "{\"name\":\"p1\"}"), 400, "policy");
        assertClientError(h.post("/policies", "{\"policy\":\"reactive.hpa\"}"), 400, "name");
        assertClientError(h.post("/policies", "{\"schema\":\"v0\",\"name\":\"p1\",\"policy\":\"reactive.hpa\"}"), 400, "schema");
        assertClientError(h.post("/policies/nope/activate", ""), 404, "nope");
        assertThat(h.get("/policies/p1").statusCode()).isEqualTo(404);
    }

    @Test
    void oraclePoliciesCannotRunLive() {
        assertThat(h.post("/policies", "{\"name\":\"cheat\",\"policy\":\"oracle\"}").statusCode()).isEqualTo(201);
        assertClientError(h.post("/policies/cheat/activate", ""), 409, "cannot run live");
        assertThat(h.delete("/policies/cheat").statusCode()).isEqualTo(200);
    }

    @Test
    void tokenGuardsMutatingCalls() {
        try (LiveHarness guarded = new LiveHarness(dir.resolve("guarded"), new LiveServer.Settings("127.0.0.1", 0, Optional.of("s3cret"), 1 << 20, 1 << 20))) {
            assertClientError(guarded.post("/models", LiveHarness.register("a", "affine.onnx", "")), 401, "Bearer");
            var ok = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url("/models"))).header("Authorization", "Bearer s3cret")
                    .POST(HttpRequest.BodyPublishers.ofString(LiveHarness.register("a", "affine.onnx", ""))).build());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            // the scheme is case-insensitive (RFC 7235): "bearer" as some clients write it, not a wrong token
            var lower = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url("/models"))).header("Authorization", "bearer s3cret")
                    .POST(HttpRequest.BodyPublishers.ofString(LiveHarness.register("b", "affine.onnx", ""))).build());
            assertThat(lower.statusCode()).as(lower.body()).isEqualTo(201);
            var wrong = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url("/models"))).header("Authorization", "Bearer S3CRET")
                    .POST(HttpRequest.BodyPublishers.ofString(LiveHarness.register("c", "affine.onnx", ""))).build());
            assertClientError(wrong, 401, "Bearer");
            // the right token and a wrong one: not whichever comes first
            var twice = guarded.send(HttpRequest.newBuilder(URI.create(guarded.url("/models"))).header("Authorization", "Bearer s3cret")
                    .header("Authorization", "Bearer S3CRET").POST(HttpRequest.BodyPublishers.ofString(LiveHarness.register("d", "affine.onnx", ""))).build());
            assertClientError(twice, 400, "Authorization sent 2 times");
            assertThat(guarded.runtime.registry().get("d")).isEmpty();
            assertThat(guarded.get("/models").statusCode()).isEqualTo(200);
            assertThat(guarded.post("/predict", "{\"model\":\"a\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
            // every change needs it: uploads, policies (activation included), removal
            for (var r : java.util.List.of(guarded.send(upload(guarded, "{\"name\":\"up\"}", new byte[]{1})), guarded.post("/policies", "{\"name\":\"p\",\"policy\":\"reactive.hpa\"}"),
                    guarded.put("/policies/p", "policy: reactive.hpa\n"), guarded.delete("/policies/p"), guarded.post("/policies/p/activate", ""),
                    guarded.delete("/models/a")))
                assertClientError(r, 401, "Bearer");
            assertThat(guarded.runtime.registry().get("a")).isPresent();
            // and nothing else does: a change asked of a read-only path is the 405 it is, not a demand for the token
            for (String readOnly : new String[]{"/health", "/metrics", "/metrics.json", "/openapi.json", "/v2/health/live"})
                assertClientError(guarded.post(readOnly, "{}"), 405, "not allowed");
            assertThat(guarded.get("/policies").statusCode()).isEqualTo(200);
        }
    }
}
