package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.prescale.live.http.LiveServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static io.prescale.live.LiveApiTest.assertClientError;
import static io.prescale.live.LiveApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a careless or hostile client sends, each answered 4xx with a reason, none a 500 or a dead process,
 * and the server's own state bounded: the cases an adversarial review of the runner turned up.
 */
class HostileInputTest {
    @TempDir
    static Path dir;
    static LiveHarness h;

    @BeforeAll
    static void start() {
        h = new LiveHarness(dir);
        assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void anEmptyTensorIs400BeforeOnnxRuntimeSeesIt() {
        // a zero-sized batch made one real model's native code abort the whole process
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[0,4],\"data\":[]}}}"), 400,
                "dimension 0 is 0: an empty tensor is not served");
        assertClientError(h.post("/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[0,4],\"datatype\":\"FP32\",\"data\":[]}]}"), 400,
                "an empty tensor");
        assertThat(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBinaryShapeWhoseByteCountOverflowsIs400() {
        // 2^60 x 4 = 2^62 FP32 values: 2^64 bytes, which wraps to 0 in a long and so "matched" binary_data_size 0
        String header = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1152921504606846976,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":0}}]}";
        var r = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/v2/models/affine/infer")))
                .header("Content-Type", "application/octet-stream").header("Inference-Header-Content-Length", Integer.toString(header.length()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(header)).build());
        assertClientError(r, 400, "is too large");
    }

    @Test
    void aGpuMemoryCapPastWhatBytesCountIs400() {
        // 2^62 MB x 2^20 overflows the byte cap handed to the GPU provider
        var r = h.post("/models", LiveHarness.register("huge", "affine.onnx", "\"resources\":{\"gpuMemoryMb\":4611686018427387904}"));
        assertClientError(r, 400, "must be in [0, 1048576]");
        assertThat(json(r).path("field").asText()).isEqualTo("resources.gpuMemoryMb");
    }

    @Test
    void policyNamesThatCannotBeFileNamesAre400NamingTheField() {
        for (String name : new String[]{".hidden", "..", "x".repeat(300)}) {
            var r = h.post("/policies", "{\"name\":\"" + name + "\",\"policy\":\"reactive.hpa\"}");
            assertClientError(r, 400, "starting with a letter or digit, at most 128");
            assertThat(json(r).path("field").asText()).isEqualTo("name");
        }
        assertClientError(h.put("/policies/.x", "policy: reactive.hpa\n"), 400, "name");
    }

    @Test
    void aPolicyFileWithBrokenYamlSaysWhere() {
        // was "malformed policy document: while parsing a flow node": not where, nor what was expected
        assertClientError(h.post("/policies", "schema: prescale.policy/v1\nname: p\npolicy: [\n"), 400,
                "malformed policy document: line 4, column 1: expected the node content, but found '<stream end>'");
    }

    @Test
    void controlIntervalsTheRunnerCannotKeepAre400() {
        // negative: the policy's own check; 1 us: a tick every millisecond, each appending to the decision log;
        // 300,000 days: past what nanoseconds count
        assertClientError(h.post("/policies", "{\"name\":\"neg\",\"policy\":\"reactive.hpa\",\"params\":{\"syncPeriod\":\"-5s\"}}"), 400, "");
        assertThat(h.get("/policies/neg").statusCode()).isEqualTo(404);
        assertClientError(h.post("/policies", "{\"name\":\"fast\",\"policy\":\"reactive.hpa\",\"params\":{\"syncPeriod\":\"1us\"}}"), 400,
                "at most once every 1s");
        assertClientError(h.post("/policies", "{\"name\":\"long\",\"policy\":\"reactive.hpa\",\"params\":{\"syncPeriod\":\"P300000D\"}}"), 400, "out of range");
        assertThat(h.post("/policies", "{\"name\":\"ok\",\"policy\":\"reactive.hpa\",\"params\":{\"syncPeriod\":\"1s\"}}").statusCode()).isEqualTo(201);
    }

    @Test
    void aPolicysOwnCheckNamesTheParameterItRefuses() {
        // reactive.hpa's own check: "targetUtilization must be in (0, 1]"; the field said only "params"
        HttpResponse<String> r = h.post("/policies", "{\"name\":\"over\",\"policy\":\"reactive.hpa\",\"params\":{\"tolerance\":0.1,\"targetUtilization\":2}}");
        assertClientError(r, 400, "targetUtilization must be in (0, 1]");
        assertThat(LiveApiTest.json(r).path("field").asText()).isEqualTo("params.targetUtilization");
    }

    @Test
    void theDecisionLogKeepsWhatChangesNotEveryTick() throws Exception {
        try (LiveHarness own = new LiveHarness(dir.resolve("log"))) {
            assertThat(own.post("/models", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(own.post("/models", LiveHarness.register("b", "fixed.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(own.post("/policies", "{\"name\":\"one\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":1}}").statusCode()).isEqualTo(201);
            assertThat(own.post("/policies/one/activate", "").statusCode()).isEqualTo(200);
            // five ticks, each deciding "scale a to 1" and "scale b to 1", which they are (minReplicas 1): nothing changes, no
            // line (the first tick after an activation or a restart logged every model's replicas, changed or not)
            for (int i = 0; i < 5; i++) own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            Path log = own.state.resolve("decisions.jsonl");
            assertThat(log).doesNotExist();
            // every applied decision is still counted
            assertThat(json(own.get("/metrics.json")).toString()).contains("prescale.policy.decisions");
            assertThat(own.runtime.metrics().registry().get("prescale.policy.decisions").counter().count()).isEqualTo(10);
            // a policy that changes something: a and b to 2, two lines, and no more for the ticks that repeat it
            assertThat(own.post("/policies", "{\"name\":\"two\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":2}}").statusCode()).isEqualTo(201);
            assertThat(own.post("/policies/two/activate", "").statusCode()).isEqualTo(200);
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            assertThat(Files.readAllLines(log)).hasSize(2).allMatch(l -> l.contains("replicas=2"));
            // activated again (as at a restart): the same replicas, no line (the activation has its own line in the log)
            assertThat(own.post("/policies/two/activate", "").statusCode()).isEqualTo(200);
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            assertThat(Files.readAllLines(log)).hasSize(2);
            // back to one: a change for both
            assertThat(own.post("/policies/one/activate", "").statusCode()).isEqualTo(200);
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            assertThat(Files.readAllLines(log)).hasSize(4);
        }
    }

    @Test
    void bodiesInFlightPastTheBudgetAre429WithRetryAfterAndTheBudgetComesBack() throws Exception {
        // a budget of two 8 KB bodies; a client that declares 8 KB and stalls after 100 bytes holds its 8 KB
        try (LiveHarness small = new LiveHarness(dir.resolve("budget"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 8192, 1 << 20,
                LiveServer.Settings.DEFAULT_MIN_REQUEST_RATE, 16384))) {
            assertThat(small.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
            String body = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}" + " ".repeat(8009) + "}"; // white space: an unknown key is 400
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try (Socket s1 = new Socket("127.0.0.1", small.server.port()); Socket s2 = new Socket("127.0.0.1", small.server.port())) {
                stall(s1, bytes);
                stall(s2, bytes);
                LiveHarness.await("two stalled bodies counted", Duration.ofSeconds(10), () -> held(small) == 2L * bytes.length);
                HttpResponse<String> refused = small.post("/predict", body);
                assertClientError(refused, 429, "request bodies in flight");
                assertThat(refused.headers().firstValue("Retry-After")).contains("1");
                // the first stalled client finishes its body: it is answered, and its bytes go back to the budget
                finish(s1, bytes);
                LiveHarness.await("its bytes given back", Duration.ofSeconds(10), () -> held(small) == bytes.length);
                assertThat(small.post("/predict", body).statusCode()).isEqualTo(200);
            }
            LiveHarness.await("every body given back once its client went away", Duration.ofSeconds(60), () -> held(small) == 0);
        }
    }

    @Test
    void aLargeDeclaredBodyThatStallsHoldsWhatItSentNotWhatItDeclared() throws Exception {
        // 8 MB declared, 100 bytes sent: one 1 MB piece is counted; counting the 8 MB would let a few such clients
        // refuse every real large tensor
        try (LiveHarness big = new LiveHarness(dir.resolve("declared"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 16 << 20, 1 << 20,
                LiveServer.Settings.DEFAULT_MIN_REQUEST_RATE, 32 << 20));
             Socket s = new Socket("127.0.0.1", big.server.port())) {
            s.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8000000\r\n\r\n"
                    + "{".repeat(100)).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            LiveHarness.await("the stalled body counted", Duration.ofSeconds(10), () -> held(big) > 0);
            assertThat(held(big)).isEqualTo(1 << 20);
        }
    }

    @Test
    void aDimensionPastWhatALongHoldsIs400NotWrappedToASmallOne() {
        // 2^64 + 1 read as a long is 1: the request ran as shape [1,4] and was answered 200
        String huge = "18446744073709551617";
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[" + huge + ",4],\"data\":[1,2,3,4]}}}"), 400,
                "shape[0] must be a non-negative integer");
        assertClientError(h.post("/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[" + huge + ",4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}"),
                400, "shape[0]");
        assertClientError(h.post("/predict", "{\"inputs\":{\"x\":{\"shape\":[" + huge + ",4],\"data\":[1,2,3,4]}},\"model\":\"affine\"}"), 400, "shape[0]");
    }

    @Test
    void textAfterTheJsonDocumentIs400() {
        // the reader stopped at the end of the first object and served the request, whatever followed it
        String ok = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}";
        for (String tail : new String[]{"garbage", "}", " {\"model\":\"other\"}"})
            assertClientError(h.post("/predict", ok + tail), 400, "malformed JSON");
        assertClientError(h.post("/predict", "{\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}},\"model\":\"affine\"}]"), 400, "malformed JSON");
        assertClientError(h.post("/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}x"), 400,
                "malformed JSON");
        assertClientError(h.post("/models", LiveHarness.register("trail", "affine.onnx", "") + "{}"), 400, "malformed JSON");
        assertThat(h.post("/predict", ok + " \n").statusCode()).isEqualTo(200); // whitespace is no text
    }

    @Test
    void aNumberPastTheTypesRangeIs400NotInfinity() {
        // 1e39 is no FP32 (its largest is 3.4e38) and 1e400 no FP64: both became Infinity and were served
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,1e39]}}}"), 400,
                "data[3] = 1e39 is out of range for FP32");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[-1e400,2,3,4]}}}"), 400,
                "out of range for FP32");
        assertClientError(h.post("/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,1e39]}]}"),
                400, "out of range for FP32");
        // the tree reader (inputs before the model) says the same
        assertClientError(h.post("/predict", "{\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,1e39]}},\"model\":\"affine\"}"), 400,
                "out of range for FP32");
        // the largest FP32 is still one
        assertThat(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,3.4e38]}}}").statusCode()).isEqualTo(200);
    }

    @Test
    void aPolicyDeletedWhileItIsActivatedIsNeverLeftActiveWithoutItsFile() throws Exception {
        // activate read the file, then a DELETE removed it (not yet active, so nothing to stop), then activate ran it
        // and recorded it as active: a running policy that GET /policies does not list, DELETE answers 404 for,
        // and a restart drops. Against the unfixed runner this left it so in about a quarter of the rounds.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30; round++) {
                assertThat(h.post("/policies", "{\"name\":\"racy\",\"policy\":\"predictive.hybrid\"}").statusCode()).isEqualTo(201);
                var go = new java.util.concurrent.CountDownLatch(1);
                var activate = pool.submit(() -> { go.await(); return h.post("/policies/racy/activate", "").statusCode(); });
                var delete = pool.submit(() -> { go.await(); return h.delete("/policies/racy").statusCode(); });
                go.countDown();
                assertThat(activate.get()).isIn(200, 404);
                assertThat(delete.get()).isEqualTo(200);
                JsonNode list = json(h.get("/policies"));
                String active = list.path("active").asText(null);
                if (active != null) {
                    assertThat(h.get("/policies/" + active).statusCode()).as("round %d: active policy %s has a file", round, active).isEqualTo(200);
                }
                assertThat(h.runtime.policyStore().active()).as("round %d: the recorded active policy", round)
                        .isEqualTo(Optional.ofNullable(active));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aModelRegisteredAgainWhileItsOldSelfDrainsKeepsItsMetrics() throws Exception {
        // the old model's meters were removed by name once its drain ended, which by then were the new model's:
        // its requests, replicas and queue went missing from /metrics for good
        String spec = LiveHarness.register("again", "slow.onnx", "\"timeout\":\"120s\"");
        assertThat(h.post("/models", spec).statusCode()).isEqualTo(201);
        var old = h.runtime.registry().get("again").orElseThrow();
        var queued = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
        var x = java.util.Map.of("x", new io.prescale.live.tensor.Tensor("x", io.prescale.live.tensor.ElementType.FP32, new long[]{1, 1}, new float[]{1}));
        // ~50 ms each on one replica (queued: the test thread runs none itself): seconds of draining
        for (int i = 0; i < 100; i++) queued.add(old.submit(x, Optional.empty(), Optional.empty()));
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var delete = pool.submit(() -> h.delete("/models/again").statusCode());
            LiveHarness.await("the old model out of the registry", Duration.ofSeconds(10), () -> h.runtime.registry().get("again").isEmpty());
            assertThat(h.post("/models", spec).statusCode()).isEqualTo(201);
            assertThat(delete.isDone()).as("re-registered while the old one drained").isFalse();
            assertThat(delete.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(h.post("/predict", "{\"model\":\"again\",\"inputs\":{\"x\":{\"shape\":[1,1],\"data\":[1]}}}").statusCode()).isEqualTo(200);
        String metrics = h.get("/metrics").body();
        assertThat(metrics).contains("prescale_requests_total{model=\"again\",outcome=\"ok\"} 1.0");
        assertThat(metrics).contains("prescale_replicas{model=\"again\",state=\"ready\"} 1.0");
        assertThat(h.delete("/models/again").statusCode()).isEqualTo(200);
        assertThat(h.get("/metrics").body()).doesNotContain("model=\"again\"");
    }

    @Test
    void aBrowserPageOnAnotherOriginCannotChangeTheRunner() throws Exception {
        // a web page may send a "simple" cross-origin POST (text/plain, a form: no preflight) to a loopback runner,
        // which without --token registered models and activated policies for it; the browser names the page in Origin
        for (String origin : new String[]{"http://evil.example", "null", "http://127.0.0.1:1"}) {
            var register = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/models"))).header("Origin", origin)
                    .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(LiveHarness.register("csrf", "affine.onnx", ""))).build());
            assertClientError(register, 403, "cross-origin");
            var activate = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/policies/any/activate"))).header("Origin", origin)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertClientError(activate, 403, "cross-origin");
        }
        assertThat(h.get("/models/csrf").statusCode()).isEqualTo(404);
        // the runner's own origin, and clients that send none (curl, SDKs), as before; reads and inference are not changes
        String self = "http://127.0.0.1:" + h.server.port();
        var same = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/policies/any/activate"))).header("Origin", self)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertClientError(same, 404, "no policy named 'any'");
        var read = h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/models"))).header("Origin", "http://evil.example").GET().build());
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    void aHugeNameInTheBodyIsNotEchoedBackWhole() {
        // "no model named '<40 KB>'": every reason quoted the client's text in full (a name up to a body's size; a
        // JSON key up to Jackson's 50,000 characters)
        String big = "n".repeat(40_000);
        String ok = "\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}";
        var responses = java.util.List.of(
                h.post("/predict", "{\"model\":\"" + big + "\",\"inputs\":{}}"),
                h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"" + big + "\":{\"shape\":[1],\"data\":[1]}}}"),
                h.post("/predict", "{\"inputs\":{\"" + big + "\":{\"shape\":[1],\"data\":[1]}},\"model\":\"affine\"}"),
                h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4],\"datatype\":\"" + big + "\"}}}"),
                h.post("/predict", "{\"model\":\"affine\",\"inputs\":{" + ok + "},\"priority\":\"" + big + "\"}"),
                h.post("/v2/models/affine/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}],\"outputs\":[{\"name\":\"" + big + "\"}]}"));
        for (var r : responses) {
            assertThat(r.statusCode()).as(r.body().substring(0, 100)).isIn(400, 404);
            assertThat(r.body().length()).as(r.body().substring(0, 100)).isLessThan(1000);
            assertThat(json(r).path("error").asText()).contains("(40000 characters)");
        }
    }

    @Test
    void aNameGivenTwiceInOneObjectIs400NotTheLastOneWins() {
        // {"x": A, "x": B} ran B and {"model": "a", "model": "b"} ran b: a proxy reading the first and the runner
        // the last would disagree on what was asked (the protocol form already refused an input named twice)
        String x = "\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}";
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{" + x + "," + x + "}}"), 400, "Duplicate field 'x'");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"model\":\"affine\",\"inputs\":{" + x + "}}"), 400, "Duplicate field 'model'");
        assertClientError(h.post("/predict", "{\"inputs\":{" + x + "},\"inputs\":{" + x + "},\"model\":\"affine\"}"), 400, "Duplicate field 'inputs'");
        assertClientError(h.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4],\"shape\":[2,2]}}}"), 400,
                "Duplicate field 'shape'");
        assertClientError(h.post("/models", "{\"name\":\"twice\",\"name\":\"again\",\"file\":\"affine.onnx\"}"), 400, "Duplicate field 'name'");
    }

    @Test
    void replacingTheActivePolicyWithOneThatCannotRunLiveChangesNothing() {
        // the PUT answered 409 but had already stored the oracle over the running policy's file: GET said "oracle"
        // while reactive.hpa ran, and a restart found an active policy it could not start (none ran then)
        assertThat(h.put("/policies/live", "policy: reactive.hpa\n").statusCode()).isEqualTo(201); // created
        assertThat(h.post("/policies/live/activate", "").statusCode()).isEqualTo(200);
        try {
            assertClientError(h.put("/policies/live", "policy: oracle\n"), 409, "cannot run live");
            assertThat(json(h.get("/policies/live")).path("policy").asText()).isEqualTo("reactive.hpa");
            assertThat(h.runtime.policyStore().get("live").orElseThrow().policy()).isEqualTo("reactive.hpa");
            assertThat(h.runtime.control().activeName()).contains("live");
        } finally {
            assertThat(h.delete("/policies/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRemovalWhoseGracePeriodRanOutSaysSoAndAnswersWhatWasLeft() throws Exception {
        // DELETE answered "drained": true whatever the drain did, also when its 30 s ran out and the rest got 503s
        assertThat(h.post("/models", LiveHarness.register("cut", "slow.onnx", "\"timeout\":\"120s\"")).statusCode()).isEqualTo(201);
        var server = h.runtime.registry().get("cut").orElseThrow();
        var x = java.util.Map.of("x", new io.prescale.live.tensor.Tensor("x", io.prescale.live.tensor.ElementType.FP32, new long[]{1, 1}, new float[]{1}));
        var queued = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
        // 200 runs of 5-20 ms: far more than one replica gets through while the removal deletes the registration file
        // (with 20, a slow disk once let every one of them be served before the drain, and nothing was left to refuse)
        for (int i = 0; i < 200; i++) queued.add(server.submit(x, Optional.empty(), Optional.empty()));
        var removal = h.runtime.registry().remove("cut", Duration.ZERO).orElseThrow();
        assertThat(removal.drained()).isFalse();
        // every request answered: served, or refused as the model went (and for no other reason)
        java.util.List<Throwable> refused = new java.util.ArrayList<>();
        for (var f : queued) {
            Throwable e = f.handle((v, t) -> t).get(30, java.util.concurrent.TimeUnit.SECONDS);
            if (e != null) refused.add(e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e);
        }
        assertThat(refused).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(io.prescale.live.serve.Rejection.class,
                r -> assertThat(r.kind()).isEqualTo(io.prescale.live.serve.Rejection.Kind.DRAINING)));
        assertThat(h.runtime.registry().remove("cut", Duration.ZERO)).isEmpty();
    }

    @Test
    void aFileThatIsNoModelIs400WithoutTheServersFolders() throws Exception {
        // ONNX Runtime's reason named the file by its absolute path: the client learnt where the model store lives
        Files.write(h.store.resolve("junk.onnx"), "not a model".getBytes(StandardCharsets.UTF_8));
        var r = h.post("/models", LiveHarness.register("junk", "junk.onnx", ""));
        assertClientError(r, 400, "junk.onnx is not a model ONNX Runtime can load");
        assertThat(json(r).path("error").asText()).doesNotContain(h.store.toRealPath().toString()).doesNotContain(dir.toString());
        var up = h.send(LiveApiTest.upload(h, "{\"name\":\"junkup\"}", "not a model".getBytes(StandardCharsets.UTF_8)));
        assertClientError(up, 400, "is not a model ONNX Runtime can load");
        assertThat(json(up).path("error").asText()).doesNotContain(h.store.toRealPath().toString()).doesNotContain(dir.toString());
    }

    @Test
    void aLoopbackRunnerTakesChangesOnlyAddressedToALoopbackName() throws Exception {
        // DNS rebinding: evil.example made to resolve to 127.0.0.1 is same-origin with itself (Origin and Host agree),
        // so without --token its page could register models and activate policies
        int port = h.server.port();
        assertThat(raw("POST /policies/any/activate HTTP/1.1\r\nHost: evil.example:" + port + "\r\nOrigin: http://evil.example:" + port
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 403").contains("not a name of this loopback runner");
        assertThat(raw("POST /policies/any/activate HTTP/1.1\r\nHost: 127.0.0.1.evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
        for (String host : new String[]{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "127.0.0.1"})
            assertThat(raw("POST /policies/any/activate HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                    .as(host).startsWith("HTTP/1.1 404");
        // reads and inference are not changes
        assertThat(raw("GET /models HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    private static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.server.port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aKnownPathWithTheWrongMethodIs405NotAMissingEndpoint() {
        assertClientError(h.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/predict"))).GET().build()), 405, "method GET not allowed on /predict");
        assertClientError(h.get("/no/such/endpoint"), 404, "no such endpoint");
    }

    @Test
    void aModelFileNameWithAControlCharacterIs400() {
        assertClientError(h.post("/models", LiveHarness.register("nul", "uploads/a\\u0000.onnx", "")), 400, "control character");
    }

    @Test
    void aQueuedRequestHoldsItsBodyUntilItIsAnsweredNotOnlyWhileItIsRead() throws Exception {
        // a queued request is answered asynchronously; its body (and the tensors made from it) stay on the heap
        // until then. The model is scaled to zero under a policy that does not start replicas on arrival, so the
        // request waits in the queue until its deadline passes (504; before, with no replica nothing answered it)
        try (LiveHarness own = new LiveHarness(dir.resolve("queued"))) {
            assertThat(own.post("/models", LiveHarness.register("a", "affine.onnx", "\"minReplicas\":0")).statusCode()).isEqualTo(201);
            assertThat(own.post("/policies", "{\"name\":\"none\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":0}}").statusCode()).isEqualTo(201);
            assertThat(own.post("/policies/none/activate", "").statusCode()).isEqualTo(200);
            own.runtime.control().tick(own.clock.advance(Duration.ofSeconds(10)));
            var a = own.runtime.registry().get("a").orElseThrow();
            LiveHarness.await("a scaled to zero", Duration.ofSeconds(10), () -> a.replicasReady() == 0 && a.replicasStarting() == 0);
            // the shortest deadline admission lets in (with no replica it counts a replica's load, measured at registration,
            // plus a run) with room to spare: the test waits it out, so it is not the fixed 3 s it was
            long deadlineMs = a.lastLoadNanos() / 1_000_000 + 250;
            String body = "{\"model\":\"a\",\"deadlineMs\":" + deadlineMs + ",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}" + " ".repeat(4009) + "}";
            var pending = own.http.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(own.url("/predict")))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            LiveHarness.await("the request queued", Duration.ofSeconds(10), () -> a.queueDepth() == 1);
            assertThat(held(own)).as("held while queued").isEqualTo(body.length());
            // no replica, so no worker expires it: the runtime's sweep does (serve runs it every 250 ms)
            LiveHarness.await("the deadline passed", Duration.ofSeconds(10), () -> {
                own.runtime.expireOverdue();
                return pending.isDone();
            });
            assertThat(pending.get().statusCode()).isEqualTo(504);
            LiveHarness.await("given back once answered", Duration.ofSeconds(10), () -> held(own) == 0);
        }
    }

    @Test
    void aModelsUploadGoesWithItAndAnotherModelsFileIsNeverOverwritten() throws Exception {
        byte[] affine = Files.readAllBytes(h.store.resolve("affine.onnx"));
        assertThat(h.send(LiveApiTest.upload(h, "{\"name\":\"up\"}", affine)).statusCode()).isEqualTo(201);
        assertThat(h.store.resolve("uploads/up.onnx")).exists();
        assertThat(h.delete("/models/up").statusCode()).isEqualTo(200);
        assertThat(h.store.resolve("uploads/up.onnx")).doesNotExist();
        // a model registered under another name reads uploads/shared.onnx: an upload named "shared" must not replace it
        assertThat(h.send(LiveApiTest.upload(h, "{\"name\":\"shared\"}", affine)).statusCode()).isEqualTo(201);
        assertThat(h.delete("/models/shared").statusCode()).isEqualTo(200);
        Files.write(h.store.resolve("uploads/shared.onnx"), affine);
        assertThat(h.post("/models", LiveHarness.register("reader", "uploads/./shared.onnx", "")).statusCode()).isEqualTo(201);
        assertClientError(h.send(LiveApiTest.upload(h, "{\"name\":\"shared\"}", "not a model".getBytes())), 409, "in use by model 'reader'");
        assertThat(h.store.resolve("uploads/shared.onnx")).hasBinaryContent(affine);
        assertThat(h.delete("/models/reader").statusCode()).isEqualTo(200);
    }

    @Test
    void jettysOwnRefusalsAreJsonLikeEveryOtherError() throws Exception {
        // a malformed header never reaches the API's handlers; it used to be answered with Jetty's HTML page
        for (String request : new String[]{"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                "GET /models/..%2F..%2Fetc HTTP/1.1\r\nHost: x\r\n\r\n"}) {
            try (Socket s = new Socket("127.0.0.1", h.server.port())) {
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).as(request).startsWith("HTTP/1.1 400").contains("Content-Type: application/json").contains("{\"error\":\"bad request");
            }
        }
    }

    @Test
    void uploadsPastTheFewReceivedAtOnceAre429AndTheSlotsComeBack() throws Exception {
        // two uploads that stall mid-body hold both slots (their parts would otherwise be outside every bound)
        byte[] affine = Files.readAllBytes(h.store.resolve("affine.onnx"));
        try (Socket s1 = new Socket("127.0.0.1", h.server.port()); Socket s2 = new Socket("127.0.0.1", h.server.port())) {
            LiveHarness.stallUpload(s1);
            LiveHarness.stallUpload(s2);
            LiveHarness.await("both uploads received at once", Duration.ofSeconds(10), () -> uploads(h) == 2);
            HttpResponse<String> third = h.send(LiveApiTest.upload(h, "{\"name\":\"third\"}", affine));
            assertClientError(third, 429, "uploads are being received");
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(h.get("/models/third").statusCode()).isEqualTo(404);
        }
        LiveHarness.await("the slots given back once the stalled clients left", Duration.ofSeconds(30), () -> uploads(h) == 0);
        assertThat(h.send(LiveApiTest.upload(h, "{\"name\":\"fourth\"}", affine)).statusCode()).isEqualTo(201);
        assertThat(h.delete("/models/fourth").statusCode()).isEqualTo(200);
    }

    private static long uploads(LiveHarness on) {
        return gauge(on, "prescale.http.uploads.in.flight");
    }

    private static long held(LiveHarness on) {
        return gauge(on, "prescale.http.body.bytes.in.flight");
    }

    private static long gauge(LiveHarness on, String name) {
        JsonNode m = json(on.get("/metrics.json"));
        for (JsonNode meter : m.path("meters")) if (meter.path("name").asText().equals(name)) return meter.path("measurements").path("value").asLong();
        throw new AssertionError("no gauge " + name + " in " + m);
    }

    private static void stall(Socket s, byte[] body) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 100);
        out.flush();
    }

    private static void finish(Socket s, byte[] body) throws Exception {
        s.getOutputStream().write(body, 100, body.length - 100);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(status).isEqualTo("HTTP/1.1 200");
    }
}
