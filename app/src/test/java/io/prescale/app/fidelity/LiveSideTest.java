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
}
