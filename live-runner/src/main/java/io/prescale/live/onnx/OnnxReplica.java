package io.prescale.live.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica: an ONNX Runtime session with its own intra-op thread budget (or a CUDA device with a
 * memory cap). Not shared between threads: one worker drives it, so its threads are its own.
 */
public final class OnnxReplica implements Replica {
    static {
        OrtLibraries.prepare(); // before any ONNX Runtime class loads its libraries
    }

    /** Sessions open now, by the model file they were created from (none: no entry). */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Integer> OPEN = new java.util.concurrent.ConcurrentHashMap<>();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path file;
    /** Shared by the copies {@link #withDevice} makes of one session: it is closed (and uncounted) once. */
    private final java.util.concurrent.atomic.AtomicBoolean closed;
    private final ModelSignature signature;
    private final String device;
    private final long loadNanos;

    private OnnxReplica(OrtEnvironment env, OrtSession session, Path file, java.util.concurrent.atomic.AtomicBoolean closed,
                        ModelSignature signature, String device, long loadNanos) {
        this.env = env;
        this.session = session;
        this.file = file;
        this.closed = closed;
        this.signature = signature;
        this.device = device;
        this.loadNanos = loadNanos;
    }

    /**
     * Loads {@code file} into a new session. A CUDA request on a machine where the CUDA provider cannot
     * load falls back to CPU; {@link #device()} then says why.
     */
    public static OnnxReplica load(Path file, DeviceRequest request) throws ModelLoadException {
        long start = System.nanoTime();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String device = "cpu";
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(request.cpuThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // every failure reaches the caller as an OrtException with ONNX Runtime's message (and the client as a
            // 4xx): its own log would print each one again on stderr, several red lines per bad request
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (request.cuda()) device = addCuda(options, request);
            OrtSession session = env.createSession(file.toString(), options);
            OPEN.merge(file, 1, Integer::sum);
            ModelSignature sig;
            try {
                sig = signature(session);
            } catch (OrtException | RuntimeException e) { // a model the runner cannot carry: its session must not outlive the refusal
                closeSession(session, file);
                throw e;
            }
            return new OnnxReplica(env, session, file, new java.util.concurrent.atomic.AtomicBoolean(), sig, device, System.nanoTime() - start);
        } catch (OrtException e) {
            // ONNX Runtime names the file by its absolute path: the client's reason names it as the client did, no server folder
            String why = String.valueOf(e.getMessage()).replace(file.toString(), String.valueOf(file.getFileName()));
            throw new ModelLoadException(file.getFileName() + " is not a model ONNX Runtime can load: " + why, e);
        }
    }

    private static String addCuda(OrtSession.SessionOptions options, DeviceRequest request) {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(request.cudaDevice())) {
            if (request.gpuMemoryBytes() > 0) cuda.add("gpu_mem_limit", Long.toString(request.gpuMemoryBytes()));
            cuda.add("arena_extend_strategy", "kSameAsRequested");
            options.addCUDA(cuda);
            return "cuda:" + request.cudaDevice();
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            return "cpu (CUDA unavailable: " + why + "; build with -Pgpu and install CUDA 12 + cuDNN 9 to use the GPU)";
        }
    }

    /** The same session, described differently (after a GPU route was tried and refused). */
    OnnxReplica withDevice(String description) {
        return new OnnxReplica(env, session, file, closed, signature, description, loadNanos);
    }

    /**
     * Sessions this process holds open on {@code file} (as it was given to {@link #load}): every replica of a model
     * removed, scaled down or refused at load has closed its own.
     */
    public static int openSessions(Path file) {
        return OPEN.getOrDefault(file, 0);
    }

    private static void closeSession(OrtSession session, Path file) {
        OPEN.computeIfPresent(file, (f, n) -> n <= 1 ? null : n - 1);
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session only frees native memory; nothing left to do if it complains
        }
    }

    static ModelSignature signature(OrtSession session) throws OrtException {
        return new ModelSignature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) throws ModelLoadException {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            if (!(n.getInfo() instanceof TensorInfo ti))
                throw new ModelLoadException("'" + n.getName() + "' is not a tensor (" + n.getInfo() + "); the runner serves tensor models only", null);
            ElementType type = ElementType.of(ti.type);
            if (type == null)
                throw new ModelLoadException("'" + n.getName() + "' has element type " + ti.type + ", which the runner does not carry", null);
            out.add(new TensorSpec(n.getName(), type, ti.getShape()));
        }
        return out;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public long loadNanos() {
        return loadNanos;
    }

    /** Runs the model once; inputs must already fit the signature. */
    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> native_ = new HashMap<>(inputs.size() * 2);
        try {
            for (Tensor t : inputs.values()) native_.put(t.name(), OnnxTensors.toOnnx(env, t));
            try (OrtSession.Result result = session.run(native_)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (!(e.getValue() instanceof OnnxTensor ot))
                        throw new IllegalStateException("output '" + e.getKey() + "' is not a tensor");
                    out.put(e.getKey(), OnnxTensors.fromOnnx(e.getKey(), ot));
                }
                return out;
            }
        } finally {
            for (OnnxTensor t : native_.values()) t.close();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) closeSession(session, file);
    }
}
