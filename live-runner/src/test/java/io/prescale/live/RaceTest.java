package io.prescale.live;

import io.prescale.core.config.Yaml;
import io.prescale.live.metrics.LiveMetrics;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.registry.ModelRegistry;
import io.prescale.live.registry.ModelStore;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.Rejection;
import io.prescale.live.serve.ServeListener;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interleavings of HTTP threads with removals and shutdown, forced one step at a time: a thread is held on a lock the
 * test owns (or in an executor the test gates) until the other side has run, so each test fails the same way every run.
 */
class RaceTest {
    @TempDir
    Path dir;

    private static ModelRegistration registration(String name, String file, String extra) throws Exception {
        return Yaml.json().readValue("{\"name\":\"" + name + "\",\"file\":\"" + file + "\"" + extra + "}", ModelRegistration.class);
    }

    private static final Map<String, Tensor> ROW = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 4}, new float[4]));

    @Test
    void aRequestAdmittedAsItsModelIsRemovedIsToldTheModelWentNotThatTheQueueIsFull() throws Exception {
        // submit checked "draining" and then offered to the queue; a removal in between closed the queue, which refuses
        // every offer, and the request was answered 429 "queue is full" with Retry-After: a retry would find no model
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ModelServer server = ModelServer.open(registration("m", "affine.onnx", ",\"minReplicas\":0"), store.resolve("affine.onnx"),
                Runnable::run, ServeListener.NONE, 0);
        server.autoStartFromZero(false);
        AtomicReference<CompletableFuture<Map<String, Tensor>>> result = new AtomicReference<>();
        Thread request = new Thread(() -> result.set(server.submit(ROW, Optional.empty(), Optional.empty())), "request");
        synchronized (server.latency()) { // submit reads the latency profile after its draining check, before the queue
            request.start();
            awaitBlockedOn(request, server.latency());
            assertThat(server.drain(Duration.ZERO)).isTrue();
        }
        request.join();
        Throwable why = result.get().handle((v, t) -> t).get();
        assertThat(why).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.kind()).isEqualTo(Rejection.Kind.DRAINING));
    }

    @Test
    void aModelRegisteredWhileTheRegistryClosesIsClosedToo() throws Exception {
        // close() did not wait for a registration loading under the registry's lock: it closed what it found, and the
        // model registered a moment later kept its session, worker thread and a queued load, never closed
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        CountDownLatch loading = new CountDownLatch(1), release = new CountDownLatch(1);
        Executor gatedLoader = task -> { // the second replica's load is queued while the registration holds the lock
            loading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ModelRegistry registry = new ModelRegistry(dir.resolve("state"), new ModelStore(store), new LiveMetrics(), gatedLoader, 0.04, 10);
        AtomicReference<Object> registered = new AtomicReference<>();
        Thread registration = new Thread(() -> {
            try {
                registered.set(registry.register(registration("late", "affine.onnx", ",\"minReplicas\":2,\"maxReplicas\":2")));
            } catch (Throwable t) {
                registered.set(t);
            }
        }, "registration");
        registration.start();
        loading.await();
        Thread closing = new Thread(registry::close, "close");
        closing.start();
        awaitBlockedOnOrDone(closing, registry);
        release.countDown();
        registration.join();
        closing.join();
        if (registered.get() instanceof ModelServer s) {
            try {
                assertThat(s.target()).as("a registered model left running after close").isZero();
            } finally {
                s.close();
            }
        } else {
            assertThat(registered.get()).isInstanceOf(IllegalStateException.class);
        }
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void aTickWaitingOnAnActivationObservesOnlyTheNewInterval() throws Exception {
        // the old policy's tick, due while an activation held the loop, ran the new policy as soon as the loop was free:
        // before the activation had started the new interval, the new policy's first observation could count traffic
        // served under the old one (what starting the interval is there to discard)
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-05T10:00:00Z"));
        try (LiveRuntime runtime = LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.04, new TestPolicies(),
                id -> io.prescale.core.forecast.Forecaster.none(), clock))) {
            runtime.activate(new io.prescale.core.config.PolicyFile(io.prescale.core.config.PolicyFile.SCHEMA, "old", "test.remembering", Map.of(), null));
            Thread activation = new Thread(() -> runtime.activate(new io.prescale.core.config.PolicyFile(
                    io.prescale.core.config.PolicyFile.SCHEMA, "new", "test.remembering", Map.of(), null)), "activation");
            Thread tick = new Thread(() -> runtime.control().tick(clock.instant()), "tick");
            synchronized (runtime.cluster()) { // the activation is held where it starts the new interval
                activation.start();
                awaitBlockedOn(activation, runtime.cluster());
                tick.start();
                while (!blockedOn(tick, runtime.control()) && !blockedOn(tick, runtime.cluster())) {
                    assertThat(tick.isAlive()).isTrue();
                    Thread.onSpinWait();
                }
                assertThat(blockedOn(tick, runtime.cluster())).as("the tick reached the observation before the new interval began").isFalse();
            }
            activation.join();
            tick.join();
        }
    }

    @Test
    void aDeleteWhoseModelWasReplacedByAnUploadMeanwhileLeavesTheUploadAlone() throws Exception {
        // DELETE looked the model up, then removed whatever the name held by then: when another request had removed it
        // and the name had passed to an upload meanwhile, the DELETE removed the upload (registration, file and all)
        // in place of the store-file model it had looked up, which was gone already
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("m", "affine.onnx", "\"minReplicas\":0")).statusCode()).isEqualTo(201);
            ModelServer successor = replaceWhileADeleteWaits(h, false);
            assertSurvives(h, successor);
        }
    }

    @Test
    void aDeleteWhoseUploadWasReplacedByAnotherUploadMeanwhileLeavesTheNewFile() throws Exception {
        // both uploads are uploads/m.onnx: the DELETE of the first removed the second and deleted its file
        try (LiveHarness h = new LiveHarness(dir)) {
            var r = h.send(LiveHarness.upload(h.url("/models"), "{\"name\":\"m\",\"minReplicas\":0}",
                    java.nio.file.Files.readAllBytes(h.store.resolve("affine.onnx"))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ModelServer successor = replaceWhileADeleteWaits(h, true);
            assertSurvives(h, successor);
        }
    }

    /**
     * Holds a DELETE of "m" after its lookup, on the registry's lock; meanwhile removes "m" (with its upload, as another
     * DELETE would) and registers an upload of ids.onnx under the name. Returns the new model, once the DELETE answered.
     */
    private static ModelServer replaceWhileADeleteWaits(LiveHarness h, boolean oldWasUpload) throws Exception {
        ModelRegistry registry = h.runtime.registry();
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<HttpResponse<String>> delete;
            ModelServer successor;
            synchronized (registry) { // the DELETE has looked "m" up and waits to remove it
                delete = pool.submit(() -> h.delete("/models/m"));
                awaitSomeThreadBlockedOn(registry);
                assertThat(registry.remove("m", Duration.ZERO)).isPresent();
                if (oldWasUpload) registry.store().deleteUpload("m");
                try (var model = java.nio.file.Files.newInputStream(h.store.resolve("ids.onnx"))) {
                    registry.store().saveUpload("m", model);
                }
                successor = h.runtime.register(registration("m", "uploads/m.onnx", ""));
            }
            HttpResponse<String> answer = delete.get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
            assertThat(answer.body()).contains("removed meanwhile");
            return successor;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The model registered meanwhile is still served, whole: registration, file, state on file, no pending mark. */
    private static void assertSurvives(LiveHarness h, ModelServer successor) throws Exception {
        assertThat(h.runtime.registry().get("m")).containsSame(successor);
        assertThat(h.store.resolve("uploads/m.onnx")).hasSameBinaryContentAs(h.store.resolve("ids.onnx"));
        assertThat(Yaml.json().readValue(h.state.resolve("models/m.json").toFile(), ModelRegistration.class).file()).isEqualTo("uploads/m.onnx");
        assertThat(h.runtime.pendingUploads().pending()).isEmpty();
        var r = h.post("/predict", "{\"model\":\"m\",\"inputs\":{\"ids\":{\"shape\":[1,3],\"data\":[1,2,3]}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("[11,12,13]"); // ids.onnx: x + 10
        assertThat(h.get("/metrics").body()).contains("model=\"m\"");
    }

    @Test
    void aPolicyStoredAndActivatedAtStartIsOneChangeThatRequestsWaitFor() throws Exception {
        // serve --policy stored the file and activated it outside the lock /policies takes: a DELETE of it arriving in
        // between went ahead (its file gone, then activated and recorded active with no file: a restart resumed none),
        // as could an activation of another policy (one running, the other recorded active)
        try (LiveHarness h = new LiveHarness(dir)) {
            var winner = h.runtime.control().prepare(new io.prescale.core.config.PolicyFile(io.prescale.core.config.PolicyFile.SCHEMA,
                    "winner", "test.fixed", Map.of("replicas", 0), null));
            Thread start = new Thread(() -> h.runtime.storeAndActivate(winner), "serve --policy");
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<HttpResponse<String>> delete;
                synchronized (h.runtime.cluster()) { // the start-up is held where its activation starts the new interval: its file is stored
                    start.start();
                    awaitBlockedOn(start, h.runtime.cluster());
                    assertThat(h.state.resolve("policies/winner.yaml")).exists();
                    delete = pool.submit(() -> h.delete("/policies/winner"));
                    // the DELETE waits for the whole change on the policies' lock, not inside its own (on the loop's lock)
                    Object waitedOn = awaitSomeThreadBlockedOnEither(h.runtime.policyChanges(), h.runtime.control(), delete);
                    assertThat(waitedOn).as("where the DELETE waited").isSameAs(h.runtime.policyChanges());
                }
                start.join();
                HttpResponse<String> answer = delete.get();
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            } finally {
                pool.shutdownNow();
            }
            // removed after the start-up's change, as a whole: nothing runs, nothing is recorded active, no file
            assertThat(h.runtime.control().activeName()).isEmpty();
            assertThat(h.runtime.policyStore().active()).isEmpty();
            assertThat(h.state.resolve("policies/winner.yaml")).doesNotExist();
        }
    }

    @Test
    void aTickSeesAModelsReplicasAsTheyWereAtOneMoment() throws Exception {
        // observe read the ready replicas, then (a moment later) those starting: a load finishing in between moved one
        // from starting to ready unseen, and the policy saw one replica fewer than the model ever had
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        ModelRegistry registry = new ModelRegistry(dir.resolve("state"), new ModelStore(store), new LiveMetrics(), Runnable::run, 0.04, 10);
        try (registry) {
            ModelServer server = registry.register(registration("m", "affine.onnx", ",\"maxReplicas\":2"));
            var cluster = new io.prescale.live.loop.LiveCluster(registry, io.prescale.live.loop.LiveCluster.localCpuPool(0.04), Duration.ofSeconds(15));
            AtomicReference<io.prescale.core.policy.Observation> seen = new AtomicReference<>();
            Thread tick = new Thread(() -> seen.set(cluster.observe(java.time.Instant.EPOCH)), "tick");
            synchronized (server) { // the tick waits on the model's lock; the second replica loads (on this thread) meanwhile
                tick.start();
                awaitBlockedOn(tick, server);
                assertThat(server.scaleTo(2)).isEqualTo(2);
                assertThat(server.replicasReady()).isEqualTo(2);
            }
            tick.join();
            var m = seen.get().models().get(0);
            assertThat(m.replicasReady() + m.replicasStarting()).as("ready %d + starting %d", m.replicasReady(), m.replicasStarting()).isEqualTo(2);
        }
    }

    /** Spins until {@code t} waits to enter {@code monitor}'s lock (no sleeping: the test is held by a lock, not by time). */
    static void awaitBlockedOn(Thread t, Object monitor) {
        while (!blockedOn(t, monitor)) {
            assertThat(t.isAlive()).as(t.getName() + " ended before it reached the lock").isTrue();
            Thread.onSpinWait();
        }
    }

    /** Spins until {@code t} waits to enter {@code monitor}'s lock or has ended (it never needed the lock). */
    static void awaitBlockedOnOrDone(Thread t, Object monitor) {
        while (t.isAlive() && !blockedOn(t, monitor)) Thread.onSpinWait();
    }

    /** Spins until some thread (one the test did not start: a request's) waits to enter {@code monitor}'s lock. */
    static void awaitSomeThreadBlockedOn(Object monitor) {
        var mx = ManagementFactory.getThreadMXBean();
        while (java.util.Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds())).noneMatch(info -> info != null
                && info.getThreadState() == Thread.State.BLOCKED && info.getLockInfo() != null
                && info.getLockInfo().getIdentityHashCode() == System.identityHashCode(monitor))) Thread.onSpinWait();
    }

    /**
     * Spins until some thread waits to enter {@code a}'s or {@code b}'s lock; returns which. Fails if {@code done} finishes
     * first (it never needed either).
     */
    static Object awaitSomeThreadBlockedOnEither(Object a, Object b, java.util.concurrent.Future<?> done) {
        var mx = ManagementFactory.getThreadMXBean();
        while (true) {
            for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info == null || info.getThreadState() != Thread.State.BLOCKED || info.getLockInfo() == null) continue;
                int lock = info.getLockInfo().getIdentityHashCode();
                if (lock == System.identityHashCode(a)) return a;
                if (lock == System.identityHashCode(b)) return b;
            }
            assertThat(done.isDone()).as("finished without waiting on either lock").isFalse();
            Thread.onSpinWait();
        }
    }

    private static boolean blockedOn(Thread t, Object monitor) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
        return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockInfo() != null
                && info.getLockInfo().getIdentityHashCode() == System.identityHashCode(monitor);
    }
}
