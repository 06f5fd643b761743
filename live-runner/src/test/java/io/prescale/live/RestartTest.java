package io.prescale.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.http.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash: the first runner is abandoned without any shutdown (its threads are left running, nothing is
 * flushed or closed, as after {@code kill -9}); a second runner opens the same state folder.
 */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void everythingRegisteredComesBackWarmAfterACrash() throws Exception {
        LiveHarness first = new LiveHarness(dir);
        assertThat(first.post("/models", LiveHarness.register("affine", "affine.onnx", "\"batching\":{\"maxBatch\":4,\"maxQueueDelay\":\"500us\"},\"minReplicas\":2")).statusCode()).isEqualTo(201);
        assertThat(first.post("/models", LiveHarness.register("ids", "ids.onnx", "\"priority\":\"high\"")).statusCode()).isEqualTo(201);
        assertThat(first.post("/policies", "{\"name\":\"two\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":2}}").statusCode()).isEqualTo(201);
        assertThat(first.post("/policies", "{\"name\":\"spare\",\"policy\":\"reactive.hpa\"}").statusCode()).isEqualTo(201);
        var activated = first.post("/policies/two/activate", "");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(first.post("/models", LiveHarness.register("gone", "fixed.onnx", "")).statusCode()).isEqualTo(201);
        assertThat(first.delete("/models/gone").statusCode()).isEqualTo(200);
        first.server.close(); // frees the port only; the runtime is abandoned as a killed process would leave it

        LiveRuntime second = LiveRuntime.open(new LiveRuntime.Options(first.state, first.store, 0.04, new TestPolicies(), id -> Forecaster.none(), first.clock,
                LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, LiveHarness.pool())); // the first runner's pool
        try (LiveServer server = LiveServer.start(second, LiveServer.Settings.loopback(0))) {
            assertThat(second.restoreProblems()).isEmpty();
            assertThat(second.registry().all()).extracting(s -> s.name()).containsExactly("affine", "ids");
            var affine = second.registry().get("affine").orElseThrow();
            assertThat(affine.registration().batching().maxBatch()).isEqualTo(4);
            // a sub-millisecond delay once went to disk as "5.0E-4s", which no parser reads: the model was not restored
            assertThat(affine.registration().batching().maxQueueDelay()).isEqualTo(Duration.ofNanos(500_000));
            assertThat(second.registry().get("ids").orElseThrow().registration().priority()).isEqualTo("high");
            LiveHarness.await("affine re-warmed with 2 replicas", Duration.ofSeconds(30), () -> affine.replicasReady() == 2);
            assertThat(affine.warmUp()).as("warm-up ran").startsWith("ran on zeros");
            assertThat(second.control().activeName()).contains("two");
            assertThat(second.policyStore().list()).extracting(p -> p.name()).containsExactly("spare", "two");
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,1,1,1]}}}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(r.body()).path("outputs").path("y").path("data").toString()).isEqualTo("[3.0,3.0,3.0,3.0]");
        } finally {
            second.close();
        }
    }

    @Test
    void temporaryFilesACrashLeftMidWriteAreRemovedAtTheNextStart() throws Exception {
        // kill -9 between a durable write's temporary file and its rename leaves the temporary file: a model upload's
        // is up to --max-upload bytes, and nothing ever removed it
        Path state = dir.resolve("state"), store = dir.resolve("store");
        Path[] leftovers = {state.resolve("models/.affine.json.123.tmp"), state.resolve("policies/.two.yaml.456.tmp"),
                state.resolve(".active-policy.yaml.789.tmp"), store.resolve("uploads/.big.onnx.1011.tmp")};
        for (Path f : leftovers) {
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.write(f, new byte[1024]);
        }
        // the upload leftover was last written long ago; one written just now may be another runner's upload in flight
        java.nio.file.Files.setLastModifiedTime(leftovers[3], java.nio.file.attribute.FileTime.from(java.time.Instant.EPOCH));
        Path inFlight = store.resolve("uploads/.other.onnx.1213.tmp");
        java.nio.file.Files.write(inFlight, new byte[1024]);
        Path kept = store.resolve("uploads/.hidden-model.onnx"); // not a temporary file of ours
        java.nio.file.Files.write(kept, new byte[1]);
        try (LiveHarness h = new LiveHarness(dir)) {
            for (Path f : leftovers) assertThat(f).as(f.toString()).doesNotExist();
            assertThat(inFlight).exists();
            assertThat(kept).exists();
            assertThat(h.runtime.restoreProblems()).isEmpty();
        }
    }

    @Test
    void anUploadACrashLeftWithoutItsRegistrationIsRemovedAtTheNextStart() throws Exception {
        byte[] affine = java.nio.file.Files.readAllBytes(Path.of(RestartTest.class.getResource("/onnx/affine.onnx").toURI()));
        LiveHarness first = new LiveHarness(dir);
        assertThat(first.send(LiveHarness.upload(first.url("/models"), "{\"name\":\"kept\"}", affine)).statusCode()).isEqualTo(201);
        assertThat(first.runtime.pendingUploads().pending()).as("nothing pending once registered").isEmpty();
        first.close();
        // kill -9 after an upload was stored, before its registration was (the upload of 'ghost'); after a removed
        // model's registration went, before its upload did ('removed'); and after 'kept' was registered, before its
        // mark was cleared: what each leaves on disk (the marks written as the runner writes them)
        Path uploads = first.store.resolve("uploads");
        var marks = new io.prescale.live.state.PendingUploads(first.state);
        for (String name : new String[]{"ghost", "removed"}) {
            java.nio.file.Files.write(uploads.resolve(name + ".onnx"), affine);
            marks.begin(name);
        }
        marks.begin("kept");

        LiveRuntime second = LiveRuntime.open(new LiveRuntime.Options(first.state, first.store, 0.04, new TestPolicies(), id -> Forecaster.none(), first.clock,
                LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, LiveHarness.pool())); // the first runner's pool
        try {
            assertThat(uploads.resolve("ghost.onnx")).doesNotExist();
            assertThat(uploads.resolve("removed.onnx")).doesNotExist();
            assertThat(uploads.resolve("kept.onnx")).exists();
            assertThat(second.registry().all()).extracting(s -> s.name()).containsExactly("kept");
            assertThat(second.pendingUploads().pending()).isEmpty();
        } finally {
            second.close();
        }
    }

    /**
     * A registration on file that this start could not restore (here one with a field this runner does not know, as a newer
     * runner writes it; a file unreadable for now fails the same way) is kept for a start that can: the file it reads is
     * its own. The check read a registration on file by its name only, and a restored one by its file.
     */
    private static void unrestorable(Path state, String model) throws Exception {
        Path f = state.resolve("models/" + model + ".json");
        java.nio.file.Files.writeString(f, java.nio.file.Files.readString(f).replaceFirst("\\{", "{\"accelerator\":\"npu\","));
    }

    @Test
    void atTheNextStartAnUploadIsKeptForARegistrationThatReadsItAndOnlyForOne() throws Exception {
        byte[] affine = java.nio.file.Files.readAllBytes(Path.of(RestartTest.class.getResource("/onnx/affine.onnx").toURI()));
        LiveHarness first = new LiveHarness(dir);
        for (String name : new String[]{"a", "c"})
            assertThat(first.send(LiveHarness.upload(first.url("/models"), "{\"name\":\"" + name + "\"}", affine)).statusCode()).isEqualTo(201);
        assertThat(first.post("/models", LiveHarness.register("b", "uploads/a.onnx", "")).statusCode()).isEqualTo(201); // a's file, by name
        first.close();
        // kill -9 while 'a' was being removed (its registration gone, its upload marked), and while 'c' was: 'c' had been
        // registered again from a store file meanwhile; 'b' cannot be restored at the next start
        var marks = new io.prescale.live.state.PendingUploads(first.state);
        java.nio.file.Files.delete(first.state.resolve("models/a.json"));
        marks.begin("a");
        java.nio.file.Files.writeString(first.state.resolve("models/c.json"), LiveHarness.register("c", "affine.onnx", ""));
        marks.begin("c");
        unrestorable(first.state, "b");

        LiveRuntime second = LiveRuntime.open(new LiveRuntime.Options(first.state, first.store, 0.04, new TestPolicies(), id -> Forecaster.none(), first.clock,
                LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, LiveHarness.pool())); // the first runner's pool
        try {
            assertThat(second.restoreProblems()).singleElement().asString().startsWith("b.json: ");
            assertThat(first.store.resolve("uploads/a.onnx")).as("read by b's registration, kept on file").exists();
            assertThat(first.store.resolve("uploads/c.onnx")).as("read by no registration: c's reads affine.onnx").doesNotExist();
            assertThat(second.registry().get("c").orElseThrow().registration().file()).isEqualTo("affine.onnx");
            assertThat(second.pendingUploads().pending()).isEmpty();
        } finally {
            second.close();
        }
    }

    @Test
    void aRemovedModelsUploadIsKeptForARegistrationOnFileThatReadsIt() throws Exception {
        byte[] affine = java.nio.file.Files.readAllBytes(Path.of(RestartTest.class.getResource("/onnx/affine.onnx").toURI()));
        LiveHarness first = new LiveHarness(dir);
        assertThat(first.send(LiveHarness.upload(first.url("/models"), "{\"name\":\"a\"}", affine)).statusCode()).isEqualTo(201);
        assertThat(first.post("/models", LiveHarness.register("b", "uploads/a.onnx", "")).statusCode()).isEqualTo(201);
        first.close();
        unrestorable(first.state, "b");
        LiveRuntime second = LiveRuntime.open(new LiveRuntime.Options(first.state, first.store, 0.04, new TestPolicies(), id -> Forecaster.none(), first.clock,
                LiveRuntime.Options.DEFAULT_MAX_MODELS, LiveRuntime.Options.DEFAULT_MAX_POLICIES, LiveHarness.pool())); // the first runner's pool
        try (LiveServer server = LiveServer.start(second, LiveServer.Settings.loopback(0))) {
            assertThat(second.restoreProblems()).singleElement().asString().startsWith("b.json: ");
            var r = first.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/models/a")).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(first.store.resolve("uploads/a.onnx")).as("read by b's registration, kept on file").exists();
            assertThat(second.pendingUploads().pending()).isEmpty();
        } finally {
            second.close();
        }
    }
}
