package io.prescale.live.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every ONNX Runtime session a load creates is closed again, a load refused after the session was created included. */
class SessionLeakTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        Path f = dir.resolve(name);
        try (InputStream in = SessionLeakTest.class.getResourceAsStream("/onnx/" + name)) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    @Test
    void aModelRefusedForAnElementTypeTheRunnerDoesNotCarryLeavesNoSessionOpen() throws Exception {
        // half.onnx loads in ONNX Runtime (x: float16), and is refused after its session exists: that session stayed open
        Path half = fixture("half.onnx");
        assertThatThrownBy(() -> OnnxReplica.load(half, DeviceRequest.cpu(1)))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("'x' has element type FLOAT16");
        assertThat(OnnxReplica.openSessions(half)).isZero();
    }

    @Test
    void aSessionIsCountedWhileOpenAndClosedOnceForItsCopies() throws Exception {
        Path affine = fixture("affine.onnx");
        OnnxReplica r = OnnxReplica.load(affine, DeviceRequest.cpu(1));
        assertThat(OnnxReplica.openSessions(affine)).isEqualTo(1);
        OnnxReplica described = r.withDevice("cpu (said otherwise)");
        described.close();
        r.close(); // the same session: closed (and uncounted) once
        assertThat(OnnxReplica.openSessions(affine)).isZero();
    }
}
