package io.prescale.app.fidelity;

import io.prescale.live.LiveRuntime;
import io.prescale.live.http.LiveServer;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.live.loop.LiveForecasters;
import io.prescale.live.registry.LocalPool;
import io.prescale.live.registry.ModelRegistration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The live half cleans up after a server that does not start, and does not wait without end for a runner that hung. */
class LiveSideTest {
    @TempDir
    Path dir;

    @Test
    void aServerThatDoesNotStartClosesTheRuntime() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        try (InputStream in = LiveSideTest.class.getResourceAsStream("/onnx/affine.onnx")) {
            Files.write(store.resolve("affine.onnx"), in.readAllBytes());
        }
        LiveRuntime runtime = LiveRuntime.open(new LiveRuntime.Options(Files.createDirectories(dir.resolve("state")), store, 0.04,
                new CatalogPolicyFactory(), LiveForecasters::forPolicy, InstantSource.system(), 4, 4, LocalPool.Capacity.unbounded()));
        runtime.register(new ModelRegistration("m", "affine.onnx", null, null, null, null, null, 1, 1));
        assertThat(runtime.registry().all()).hasSize(1);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // the port is taken: the server cannot bind
            assertThatThrownBy(() -> new LiveSide(runtime, LiveServer.Settings.loopback(taken.getLocalPort()))).isInstanceOf(RuntimeException.class);
        } finally {
            // before, the runtime stayed open: the model's session and replica thread, and the loaders, outlived the error
            boolean closed = runtime.registry().all().isEmpty();
            runtime.close();
            assertThat(closed).as("the runtime was closed with the failed start (its models closed)").isTrue();
        }
    }

    @Test
    void theAnswersOfAHungRunnerAreWaitedForAtMostTheWaitGiven() throws Exception {
        // a runner that accepts connections (the kernel's backlog) and never answers: each read would wait its 120 s
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI base = URI.create("http://127.0.0.1:" + hung.getLocalPort());
            ArrivalPlan plan = new ArrivalPlan("hung", List.of(new ArrivalPlan.Arrival(0, "m"), new ArrivalPlan.Arrival(0, "m")), List.of("m"),
                    Map.of(), 0);
            long[] counts = new long[5];
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                LiveSide.send(base, plan, Map.of("m", "{}".getBytes()), 1, System.nanoTime(), counts, Duration.ofMillis(50));
            }, "before, the sender's close waited for every answer, a read timeout (120 s) each");
            // both told as requests with no answer: counts {ok, 429, 504, other, sent}
            assertThat(counts).containsExactly(0, 0, 0, 2, 2);
        }
    }
}
