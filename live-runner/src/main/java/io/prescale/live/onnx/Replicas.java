package io.prescale.live.onnx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Chooses the backend of a new replica. CPU: an ONNX Runtime session. GPU: ONNX Runtime's CUDA provider
 * when this build has it (-Pgpu) and CUDA 12 loads; otherwise, when a PyTorch sidecar is configured
 * ({@code PRESCALE_TORCH_PYTHON} or {@code -Dprescale.torchPython}: a python with torch), the model runs on
 * the GPU in that process; otherwise on CPU, and {@link Replica#device()} says why.
 */
public final class Replicas {
    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

    private Replicas() {}

    public static Replica load(Path file, DeviceRequest request) throws ModelLoadException {
        OnnxReplica ort;
        try {
            ort = OnnxReplica.load(file, request);
        } catch (ModelLoadException e) {
            throw e;
        } catch (ai.onnxruntime.OrtException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        if (!request.cuda() || ort.device().startsWith("cuda")) return ort;
        String python = torchPython();
        if (python == null) {
            LOG.warn("{}: {}", file.getFileName(), ort.device());
            return ort;
        }
        String why = ort.device();
        try {
            TorchSidecarReplica gpu = TorchSidecarReplica.start(python, file, request, why);
            ort.close();
            return gpu;
        } catch (ModelLoadException e) {
            // the sidecar cannot run this model (an op it lacks, no CUDA for torch): serve on CPU, and say why
            LOG.warn("{}: {}", file.getFileName(), e.getMessage());
            return ort.withDevice(why.replaceFirst("\\)$", "") + "; " + e.getMessage() + ")");
        }
    }

    static String torchPython() {
        String p = System.getProperty("prescale.torchPython");
        if (p == null || p.isBlank()) p = System.getenv("PRESCALE_TORCH_PYTHON");
        return p == null || p.isBlank() ? null : p;
    }
}
