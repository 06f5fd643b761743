package io.prescale.live.onnx;

import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** What a trailing symbolic dimension (a length, a height, a width) is in the first warm-up input. */
    long WARM_UP_LENGTH = 128;

    /** Warm-up inputs above this many elements in one tensor are not tried (a rank-5 input with every dimension free). */
    long WARM_UP_MAX_ELEMENTS = 1L << 22;

    /**
     * Zero-filled inputs to warm a replica with after loading, in the order to try (see {@link #warmUpShape}): with each
     * trailing symbolic dimension {@link #WARM_UP_LENGTH}, then with every symbolic dimension 1 (the same input once
     * when the two agree). Models that cut or pad a length (Silero VAD's reflect pad needs more than one sample) run
     * on the first; a model that takes neither is served without a warm-up.
     */
    default List<Map<String, Tensor>> warmUpInputs() {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (long length : new long[]{WARM_UP_LENGTH, 1}) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            for (TensorSpec s : signature().inputs()) {
                long[] dims = warmUpShape(s.dims(), length);
                long n = Tensor.elementCount(dims);
                if (n > WARM_UP_MAX_ELEMENTS) {
                    in = null;
                    break;
                }
                in.put(s.name(), new Tensor(s.name(), s.type(), dims, s.type().newArray((int) n)));
            }
            if (in != null && out.stream().noneMatch(same(in))) out.add(in);
        }
        return out;
    }

    private static java.util.function.Predicate<Map<String, Tensor>> same(Map<String, Tensor> in) {
        return other -> in.keySet().stream().allMatch(k -> java.util.Arrays.equals(in.get(k).shape(), other.get(k).shape()));
    }

    /**
     * A warm-up shape for declared {@code dims} (-1 where symbolic): a symbolic dimension after the last fixed one,
     * other than the first, is a length and gets {@code length}; every other symbolic one (a batch, wherever it is) gets
     * 1. Silero VAD's {@code input [?, ?]} becomes [1, length] and its {@code state [2, ?, 128]} [2, 1, 128]; PaddleOCR's
     * {@code x [?, 3, ?, ?]} becomes [1, 3, length, length].
     */
    static long[] warmUpShape(long[] dims, long length) {
        long[] out = dims.clone();
        int lastFixed = -1;
        for (int i = 0; i < dims.length; i++) if (dims[i] >= 0) lastFixed = i;
        for (int i = 0; i < out.length; i++) if (out[i] < 0) out[i] = i > 0 && i > lastFixed ? length : 1;
        return out;
    }
}
