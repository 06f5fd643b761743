package io.prescale.live;

import io.prescale.live.onnx.DeviceRequest;
import io.prescale.live.onnx.Replica;
import io.prescale.live.onnx.Replicas;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU route for machines where ONNX Runtime's CUDA provider cannot load: a replica asked for a GPU runs in
 * the PyTorch sidecar. Here the sidecar runs on the CPU ({@code prescale.torchDevice=cpu}); skipped when no
 * python with torch is installed. The GPU itself is exercised by gpu/run-gpu-checks.sh.
 */
class TorchSidecarTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsTorch() throws Exception {
        String python = null;
        for (String candidate : new String[]{"python3", "/usr/bin/python3"}) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, onnx, numpy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    break;
                }
            } catch (java.io.IOException absent) {
                // try the next one
            }
        }
        assumeTrue(python != null, "no python3 with torch and onnx is installed");
        System.setProperty("prescale.torchPython", python);
        System.setProperty("prescale.torchDevice", "cpu");
    }

    @AfterEach
    void reset() {
        System.clearProperty("prescale.torchPython");
        System.clearProperty("prescale.torchDevice");
    }

    @Test
    void aGpuReplicaWithoutOnnxRuntimeCudaRunsInTheSidecarWithTheSameAnswers() throws Exception {
        LiveHarness.copyFixtures(dir);
        try (Replica gpu = Replicas.load(dir.resolve("mlp.onnx"), new DeviceRequest(1, true, 0, 64L << 20));
             Replica cpu = Replicas.load(dir.resolve("mlp.onnx"), DeviceRequest.cpu(1))) {
            assertThat(gpu.device()).contains("via PyTorch sidecar").contains("CUDA unavailable");
            assertThat(gpu.signature()).isEqualTo(cpu.signature());
            float[] x = new float[32];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) / 7f;
            Map<String, Tensor> in = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{2, 16}, x));
            Tensor y = gpu.run(in).get("y");
            assertThat(y.shape()).containsExactly(2, 16);
            assertSameValues("y", y, cpu.run(in).get("y"));
            Map<String, Tensor> ids = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 16}, new float[16]));
            // x = 0: y = relu(0 @ W + 0.5) = 0.5 everywhere
            assertThat((float[]) gpu.run(ids).get("y").data()).containsOnly(0.5f);
        }
    }

    @Test
    void recurrentModelOpsGiveOnnxRuntimesAnswers() throws Exception {
        try (Replica gpu = sidecar("branchy.onnx"); Replica cpu = Replicas.load(dir.resolve("branchy.onnx"), DeviceRequest.cpu(1))) {
            float[] x = new float[24];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i + 1);
            for (long flag : new long[]{1, 0}) {
                Map<String, Tensor> in = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{3, 8}, x),
                        "flag", new Tensor("flag", ElementType.INT64, new long[]{}, new long[]{flag}));
                Tensor y = gpu.run(in).get("y");
                assertThat(y.shape()).containsExactly(3, 14);
                assertSameValues("y, flag " + flag, y, cpu.run(in).get("y"));
                float[] a = (float[]) y.data();
                for (int row = 0; row < 3; row++) {
                    // column 4 is the padded row's last value: reflect padding mirrors x[5], zero padding gives 0
                    assertThat(a[row * 14 + 4]).isEqualTo(flag == 1 ? x[row * 8 + 5] : 0f);
                    assertThat(a[row * 14 + 5]).isEqualTo(x[row * 8 + 4]); // Gather index 0 of the second half
                    for (int k = 0; k < 8; k++) assertThat(a[row * 14 + 6 + k]).isEqualTo(x[row * 8 + 7 - k]); // Slice step -1
                }
            }
        }
    }

    @Test
    void detectionDecoderOpsGiveOnnxRuntimesAnswers() throws Exception {
        try (Replica gpu = sidecar("upsample.onnx"); Replica cpu = Replicas.load(dir.resolve("upsample.onnx"), DeviceRequest.cpu(1))) {
            float[] x = new float[2 * 2 * 3 * 4];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(0.7 * i);
            Map<String, Tensor> in = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{2, 2, 3, 4}, x));
            Map<String, Tensor> a = gpu.run(in), b = cpu.run(in);
            for (String out : new String[]{"up", "smooth"}) assertSameValues(out, a.get(out), b.get(out));
            assertThat(a.get("up").shape()).containsExactly(2, 2, 12, 16);
            assertThat(a.get("smooth").shape()).containsExactly(2, 2, 5, 7);
            float[] up = (float[]) a.get("up").data();
            // nearest x2 on the asymmetric grid with floor: each value of the 6 x 8 map fills a 2 x 2 block
            for (int y = 0; y < 12; y += 2)
                for (int xx = 0; xx < 16; xx += 2)
                    assertThat(up[y * 16 + xx + 1]).isEqualTo(up[y * 16 + xx]).isEqualTo(up[(y + 1) * 16 + xx]).isEqualTo(up[(y + 1) * 16 + xx + 1]);
        }
    }

    /** A replica asking for a GPU on a fixture: without ONNX Runtime's CUDA provider, it runs in the sidecar. */
    private Replica sidecar(String fixture) throws Exception {
        LiveHarness.copyFixtures(dir);
        Replica r = Replicas.load(dir.resolve(fixture), new DeviceRequest(1, true, 0, 64L << 20));
        assertThat(r.device()).contains("via PyTorch sidecar");
        return r;
    }

    /** The sidecar's answer is ONNX Runtime's, value by value (float32 rounding apart). */
    private static void assertSameValues(String what, Tensor sidecar, Tensor ort) {
        assertThat(sidecar.shape()).as(what).isEqualTo(ort.shape());
        float[] p = (float[]) sidecar.data(), q = (float[]) ort.data();
        for (int i = 0; i < p.length; i++) assertThat(p[i]).as("%s[%d]", what, i).isCloseTo(q[i], org.assertj.core.data.Offset.offset(1e-5f));
    }

    /** The sidecar processes this JVM started for {@code model}. */
    private static java.util.List<ProcessHandle> sidecars(String model) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("prescale-torch-replica") && c.contains(model)).orElse(false))
                .toList();
    }

    @Test
    void aSidecarThatDiesSaysSo() throws Exception {
        LiveHarness.copyFixtures(dir);
        try (Replica gpu = Replicas.load(dir.resolve("mlp.onnx"), new DeviceRequest(1, true, 0, 64L << 20))) {
            Map<String, Tensor> in = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 16}, new float[16]));
            assertThat((float[]) gpu.run(in).get("y").data()).containsOnly(0.5f);
            assertThat(gpu.alive()).isTrue();
            java.util.List<ProcessHandle> procs = sidecars(dir.resolve("mlp.onnx").toString());
            assertThat(procs).hasSize(1);
            procs.get(0).destroyForcibly();
            procs.get(0).onExit().get(30, TimeUnit.SECONDS);
            assertThat(gpu.alive()).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gpu.run(in))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("the PyTorch sidecar exited");
        }
    }

    @Test
    void theServerReplacesADeadReplicaAndAnswers503MeanwhileNot422() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("mlp", "mlp.onnx", "\"resources\":{\"gpuMemoryMb\":64}")).statusCode()).isEqualTo(201);
            String body = "{\"model\":\"mlp\",\"inputs\":{\"x\":{\"shape\":[1,16],\"data\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}}}";
            assertThat(h.post("/predict", body).statusCode()).isEqualTo(200);
            java.util.List<ProcessHandle> first = sidecars("mlp.onnx");
            assertThat(first).hasSize(1);
            first.get(0).destroyForcibly();
            first.get(0).onExit().get(30, TimeUnit.SECONDS);

            var lost = h.post("/predict", body); // runs on the dead replica: the server's fault, so 503 and a retry hint
            assertThat(lost.statusCode()).isEqualTo(503);
            assertThat(lost.body()).contains("replica_lost").contains("sidecar exited");
            assertThat(lost.headers().firstValue("Retry-After")).isPresent();

            LiveHarness.await("a replacement sidecar", java.time.Duration.ofSeconds(60),
                    () -> h.get("/models/mlp").body().contains("\"replicasLost\":1") && sidecars("mlp.onnx").stream().anyMatch(ProcessHandle::isAlive)
                            && h.runtime.registry().get("mlp").orElseThrow().replicasReady() == 1);
            assertThat(sidecars("mlp.onnx")).extracting(ProcessHandle::pid).doesNotContain(first.get(0).pid());
            var again = h.post("/predict", body);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("0.5");
        }
    }
}
