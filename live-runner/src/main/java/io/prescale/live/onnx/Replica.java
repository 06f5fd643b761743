package io.prescale.live.onnx;

import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** One loaded copy of a model that runs batches: an ONNX Runtime session, or a GPU sidecar process. One thread drives it. */
public interface Replica extends AutoCloseable {
    ModelSignature signature();

    /** Where it runs, e.g. "cpu", "cuda:0", with the reason when it fell back. */
    String device();

    long loadNanos();

    /** Runs the model once; inputs already fit the signature. */
    Map<String, Tensor> run(Map<String, Tensor> inputs) throws Exception;

    @Override
    void close();

    /** False once it can run nothing more (a sidecar process that exited): its server then replaces it. */
    default boolean alive() {
        return true;
    }

    /** A zero-filled input with symbolic dimensions set to 1 ({@code batch} for dimension 0): warms a replica after loading. */
    default Map<String, Tensor> zeroInput(int batch) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (TensorSpec s : signature().inputs()) {
            long[] dims = s.dims();
            for (int i = 0; i < dims.length; i++) if (dims[i] < 0) dims[i] = (i == 0 ? batch : 1);
            int n = (int) Tensor.elementCount(dims);
            in.put(s.name(), new Tensor(s.name(), s.type(), dims, s.type().newArray(n)));
        }
        return in;
    }
}
