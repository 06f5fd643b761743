package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.registry.LocalPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replicas are placed on the machine's pool of CPU threads (and GPU memory): what does not fit is refused or cut, and said. */
class PlacementTest {
    @TempDir
    Path dir;

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void aRegistrationWhoseReplicasCanNeverFitIsRefusedNamingTheField() throws Exception {
        try (LiveHarness h = new LiveHarness(dir, new LocalPool.Capacity(2, List.of(), true))) {
            // was 201 and 8 sessions of 16 intra-op threads (128) on a 2-core machine
            var r = h.post("/models", LiveHarness.register("big", "affine.onnx", "\"resources\":{\"cpuThreads\":16},\"minReplicas\":8,\"maxReplicas\":8"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).path("field").asText()).isEqualTo("minReplicas");
            assertThat(json(r).path("error").asText()).startsWith("minReplicas: 8 replicas x 16 threads (128) exceed the pool's 2 CPU threads");
            // one replica too big: the threads are named
            var one = h.post("/models", LiveHarness.register("wide", "affine.onnx", "\"resources\":{\"cpuThreads\":3},\"minReplicas\":1"));
            assertThat(one.statusCode()).isEqualTo(400);
            assertThat(json(one).path("field").asText()).isEqualTo("resources.cpuThreads");
            assertThat(h.runtime.registry().all()).isEmpty();
            assertThat(h.runtime.registry().pool().usage().cpuThreadsUsed()).isZero();
        }
    }

    @Test
    void aRegistrationThatFitsOnlyWhenOthersMakeRoomIs409AndTheLoopsScaleUpsAreCutToWhatFits() throws Exception {
        try (LiveHarness h = new LiveHarness(dir, new LocalPool.Capacity(4, List.of(), true))) {
            assertThat(h.post("/models", LiveHarness.register("a", "affine.onnx", "\"minReplicas\":3")).statusCode()).isEqualTo(201);
            var full = h.post("/models", LiveHarness.register("b", "affine.onnx", "\"minReplicas\":2"));
            assertThat(full.statusCode()).as(full.body()).isEqualTo(409);
            assertThat(json(full).path("field").asText()).isEqualTo("minReplicas");
            assertThat(json(full).path("error").asText()).contains("3 of the pool's 4 CPU threads are held (a 3 x 1), 1 free");
            assertThat(h.post("/models", LiveHarness.register("b", "affine.onnx", "\"minReplicas\":1")).statusCode()).isEqualTo(201);

            // a policy asks 4 replicas of each (8 threads): a holds 3 and b 1 of the 4 threads, so neither can grow
            assertThat(h.post("/policies", "{\"name\":\"four\",\"policy\":\"test.fixed\",\"params\":{\"replicas\":4}}").statusCode()).isEqualTo(201);
            assertThat(h.post("/policies/four/activate", "").statusCode()).isEqualTo(200);
            h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
            var a = h.runtime.registry().get("a").orElseThrow();
            var b = h.runtime.registry().get("b").orElseThrow();
            assertThat(a.target()).isEqualTo(3);
            assertThat(b.target()).isEqualTo(1);
            // b removed: a's next scale-up takes the freed thread
            assertThat(h.delete("/models/b").statusCode()).isEqualTo(200);
            h.runtime.control().tick(h.clock.advance(Duration.ofSeconds(10)));
            assertThat(a.target()).as("4 asked, 4 fit once b is gone").isEqualTo(4);

            JsonNode usage = json(h.get("/models/a")).path("poolUsage").path("cpuThreads");
            assertThat(usage.path("used").asInt()).isEqualTo(4);
            assertThat(usage.path("capacity").asInt()).isEqualTo(4);
            assertThat(usage.path("model").asInt()).isEqualTo(4);
            String metrics = h.get("/metrics").body();
            assertThat(metrics).contains("prescale_pool_cpu_threads{state=\"used\"} 4.0", "prescale_pool_cpu_threads{state=\"capacity\"} 4.0");
            // two ticks asked for more than fitted: a (4 > 3) and b (4 > 1) in the first
            assertThat(metrics).contains("prescale_pool_scale_ups_cut_total 2.0");
        }
    }

    @Test
    void anArrivalAtZeroReplicasStartsOneOnlyWhereItFitsElse429WithRetryAfter() throws Exception {
        String x = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,1,2,3]}}";
        try (LiveHarness h = new LiveHarness(dir, new LocalPool.Capacity(2, List.of(), true))) {
            // z at zero replicas (its first one, loaded at registration, let go), then a holds both of the pool's 2 threads
            assertThat(h.post("/models", LiveHarness.register("z", "affine.onnx", "\"minReplicas\":0")).statusCode()).isEqualTo(201);
            var z = h.runtime.registry().get("z").orElseThrow();
            z.scaleTo(0);
            assertThat(h.post("/models", LiveHarness.register("a", "affine.onnx", "\"minReplicas\":2")).statusCode()).isEqualTo(201);
            assertThat(h.runtime.registry().pool().usage().cpuThreadsUsed()).isEqualTo(2);

            // was a third thread on a pool of 2, unchecked: now refused at once, as the load's other refusals
            var full = h.post("/predict", "{\"model\":\"z\"," + x + "}");
            assertThat(full.statusCode()).as(full.body()).isEqualTo(429);
            assertThat(full.headers().firstValue("Retry-After")).contains("5");
            assertThat(json(full).path("reason").asText()).isEqualTo("pool_full");
            assertThat(json(full).path("error").asText()).contains("model 'z' has no replica and the pool has no room to start one",
                    "the pool's 2 CPU threads hold 0 of its 1-thread replicas beside the others' 2");
            assertThat(z.target()).isZero();
            assertThat(h.runtime.registry().pool().usage().cpuThreadsUsed()).as("never past the capacity").isEqualTo(2);
            assertThat(h.get("/metrics").body()).contains("prescale_rejections_total{model=\"z\",reason=\"pool_full\"} 1.0");
            // the same through the protocol's path
            var v2 = h.post("/v2/models/z/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0,1,2,3]}]}");
            assertThat(v2.statusCode()).as(v2.body()).isEqualTo(429);

            // a removed: room for z's replica, which the next arrival starts and is served by (affine: 2x + 1)
            assertThat(h.delete("/models/a").statusCode()).isEqualTo(200);
            var served = h.post("/predict", "{\"model\":\"z\"," + x + "}");
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(json(served).path("outputs").path("y").path("data").toString()).isEqualTo("[1.0,3.0,5.0,7.0]");
            assertThat(z.target()).isEqualTo(1);
            assertThat(h.runtime.registry().pool().usage().cpuThreadsUsed()).isEqualTo(1);
        }
    }

    @Test
    void modelsRestoredOnASmallerPoolArePlacedByPriorityAndTheRestKeptRegisteredWithNoReplica() throws Exception {
        // registered on 8 threads: a-batch 1 x 1, b-normal 2 x 2 (minReplicas 2), c-critical 1 x 3: 8 threads in all
        LiveHarness first = new LiveHarness(dir, new LocalPool.Capacity(8, List.of(), true));
        assertThat(first.post("/models", LiveHarness.register("a-batch", "affine.onnx", "\"priority\":\"batch\"")).statusCode()).isEqualTo(201);
        assertThat(first.post("/models", LiveHarness.register("b-normal", "affine.onnx",
                "\"priority\":\"normal\",\"resources\":{\"cpuThreads\":2},\"minReplicas\":2")).statusCode()).isEqualTo(201);
        assertThat(first.post("/models", LiveHarness.register("c-critical", "affine.onnx",
                "\"priority\":\"critical\",\"resources\":{\"cpuThreads\":3}")).statusCode()).isEqualTo(201);
        assertThat(first.runtime.registry().pool().usage().cpuThreadsUsed()).isEqualTo(8);
        first.server.close(); // the registrations on file are what a start reads, after kill -9 as after a stop
        first.runtime.close();

        // started again with 4 threads: by priority, c-critical (3) is placed, b-normal (4 more) is not, a-batch (1) is:
        // 4 of 4 held (it was 8 of 4: every model as it was, in name order)
        try (LiveHarness h = new LiveHarness(dir, new LocalPool.Capacity(4, List.of(), true))) {
            assertThat(h.runtime.restoreProblems()).isEmpty();
            assertThat(h.runtime.registry().all()).extracting(s -> s.name()).containsExactly("a-batch", "b-normal", "c-critical");
            assertThat(h.runtime.registry().pool().usage().cpuThreadsUsed()).isEqualTo(4);
            var b = h.runtime.registry().get("b-normal").orElseThrow();
            assertThat(b.target()).isZero();
            assertThat(h.runtime.registry().get("c-critical").orElseThrow().target()).isEqualTo(1);
            assertThat(h.runtime.registry().get("a-batch").orElseThrow().target()).isEqualTo(1);
            JsonNode unplaced = json(h.get("/models/b-normal"));
            assertThat(unplaced.path("state").asText()).isEqualTo("unplaced");
            assertThat(unplaced.path("reason").asText()).startsWith("restored with no replica: minReplicas: 2 replicas x 2 threads (4) do not fit "
                    + "beside what is placed: 3 of the pool's 4 CPU threads are held (c-critical 1 x 3), 1 free");
            assertThat(unplaced.path("replicas").path("target").asInt()).isZero();
            OpenApiTest.conforms(h, "/models/{name}", "get", "200", h.get("/models/b-normal"));
            assertThat(json(h.get("/models")).path("models").get(1).path("state").asText()).isEqualTo("unplaced");
            assertThat(h.state.resolve("models/b-normal.json")).as("still registered on file").exists();

            // c-critical removed: 3 threads free, room for one of b-normal's 2-thread replicas but not for its minimum of 2
            assertThat(h.delete("/models/c-critical").statusCode()).isEqualTo(200);
            String x = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,1,2,3]}}";
            var cut = h.post("/predict", "{\"model\":\"b-normal\"," + x + "}");
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(429);
            assertThat(json(cut).path("error").asText()).contains("its minReplicas 2 are placed together or not at all");
            assertThat(b.target()).isZero();
            // a-batch removed as well: its minimum fits, and the next arrival places it
            assertThat(h.delete("/models/a-batch").statusCode()).isEqualTo(200);
            var served = h.post("/predict", "{\"model\":\"b-normal\"," + x + "}");
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(b.target()).isEqualTo(2);
            JsonNode placed = json(h.get("/models/b-normal"));
            assertThat(placed.path("state").asText()).isIn("ready", "loading");
            assertThat(placed.has("reason")).isFalse();
            assertThat(h.runtime.registry().pool().usage().cpuThreadsUsed()).isEqualTo(4);
        }
    }

    @Test
    void aModelWithMinReplicasZeroRestoredWithoutRoomIsScaledToZeroNotUnplaced() throws Exception {
        // registered on 2 threads: a 1 x 1 (minReplicas 1), z 1 x 1 (minReplicas 0, its first replica placed at registration)
        LiveHarness first = new LiveHarness(dir.resolve("zero"), new LocalPool.Capacity(2, List.of(), true));
        assertThat(first.post("/models", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(201);
        assertThat(first.post("/models", LiveHarness.register("z", "affine.onnx", "\"minReplicas\":0")).statusCode()).isEqualTo(201);
        first.server.close();
        first.runtime.close();
        // started again with 1 thread: a (by name, same priority) takes it; z's first replica does not fit, and needs not
        try (LiveHarness h = new LiveHarness(dir.resolve("zero"), new LocalPool.Capacity(1, List.of(), true))) {
            assertThat(h.runtime.restoreProblems()).isEmpty();
            var z = h.runtime.registry().get("z").orElseThrow();
            assertThat(z.target()).isZero();
            JsonNode described = json(h.get("/models/z"));
            // was "unplaced" with a reason, though zero replicas is z's own minimum
            assertThat(described.path("state").asText()).isEqualTo("scaled-to-zero");
            assertThat(described.has("reason")).isFalse();
            assertThat(json(h.get("/models")).path("models").get(1).path("state").asText()).isEqualTo("scaled-to-zero");
            // as any model at zero on a full pool: an arrival is refused at once, and served once there is room
            String x = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,1,2,3]}}";
            var refused = h.post("/predict", "{\"model\":\"z\"," + x + "}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(json(refused).path("reason").asText()).isEqualTo("pool_full");
            assertThat(h.delete("/models/a").statusCode()).isEqualTo(200);
            var served = h.post("/predict", "{\"model\":\"z\"," + x + "}");
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(json(h.get("/models/z")).path("state").asText()).isIn("ready", "loading");
        }
    }

    @Test
    void gpuMemoryIsPlacedPerDevice() throws Exception {
        // a GPU of 1000 MB: two 400 MB replicas fit, a third does not (CUDA need not be present: the replicas fall back to
        // CPU, and the pool counts what they asked for)
        try (LiveHarness h = new LiveHarness(dir, new LocalPool.Capacity(64, List.of(1000L), true))) {
            var r = h.post("/models", LiveHarness.register("g", "affine.onnx", "\"resources\":{\"gpuMemoryMb\":400},\"minReplicas\":3"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).path("error").asText()).contains("3 x 400 MB exceed GPU 0's 1000 MB");
            var other = h.post("/models", LiveHarness.register("g1", "affine.onnx", "\"resources\":{\"gpuMemoryMb\":400,\"cudaDevice\":1}"));
            assertThat(other.statusCode()).isEqualTo(400);
            assertThat(json(other).path("field").asText()).isEqualTo("resources.cudaDevice");
            assertThat(h.post("/models", LiveHarness.register("g", "affine.onnx", "\"resources\":{\"gpuMemoryMb\":400},\"minReplicas\":1")).statusCode()).isEqualTo(201);
            var g = h.runtime.registry().get("g").orElseThrow();
            var placed = h.runtime.registry().pool().scale(g, 4);
            assertThat(placed.placed()).isEqualTo(2);
            assertThat(placed.why()).contains("GPU 0's 1000 MB");
            assertThat(json(h.get("/models/g")).path("poolUsage").path("gpuMemoryMb").get(0).path("used").asLong()).isEqualTo(800);
            assertThat(h.get("/metrics").body()).contains("prescale_pool_gpu_memory_bytes{device=\"0\",state=\"capacity\"} 1.048576E9");
        }
    }

    @Test
    void nvidiaSmisMemoryListIsReadPerDevice() {
        assertThat(io.prescale.live.registry.LocalPoolAccess.parse("143771\n143771\n")).containsExactly(143771L, 143771L);
        assertThat(io.prescale.live.registry.LocalPoolAccess.parse("No devices were found\n")).isEmpty();
        assertThat(io.prescale.live.registry.LocalPoolAccess.parse("")).isEmpty();
    }
}
