package io.prescale.live.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prescale.live.tensor.BinaryTensors;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorSpec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A GPU replica in a Python process that runs the ONNX graph with PyTorch (see torch_replica.py): the route
 * for GPU machines where ONNX Runtime's CUDA provider cannot load. One process per replica, its CUDA memory
 * capped at the registration's gpuMemoryMb, so several models share a GPU. Tensors cross stdin/stdout as raw
 * little-endian bytes behind a JSON header.
 */
public final class TorchSidecarReplica implements Replica {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Path script;

    private final Process process;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ModelSignature signature;
    private final String device;
    private final long loadNanos;

    private TorchSidecarReplica(Process process, DataOutputStream out, DataInputStream in, ModelSignature signature, String device, long loadNanos) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.signature = signature;
        this.device = device;
        this.loadNanos = loadNanos;
    }

    /** Starts the sidecar; {@code ortReason} (why ONNX Runtime's CUDA provider was not used) goes into {@link #device()}. */
    public static TorchSidecarReplica start(String python, Path model, DeviceRequest request, String ortReason) throws ModelLoadException {
        long t0 = System.nanoTime();
        String dev = System.getProperty("prescale.torchDevice", "cuda:" + request.cudaDevice()); // "cpu" only to test the sidecar itself
        List<String> cmd = List.of(python, "-u", script().toString(), model.toString(), "--device", dev,
                "--memory-bytes", Long.toString(request.gpuMemoryBytes()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new ModelLoadException("cannot start the PyTorch sidecar (" + python + "): " + e.getMessage(), e);
        }
        try {
            InputStream raw = new BufferedInputStream(p.getInputStream(), 1 << 16);
            String hello = readLine(raw);
            if (hello == null) throw new ModelLoadException("the PyTorch sidecar exited at start (see its stderr)", null);
            JsonNode h = JSON.readTree(hello);
            if (!h.path("ok").asBoolean()) throw new ModelLoadException("PyTorch sidecar: " + h.path("error").asText(), null);
            ModelSignature sig = new ModelSignature(specs(h.path("inputs")), specs(h.path("outputs")));
            String device = h.path("device").asText() + " via PyTorch sidecar (ONNX Runtime: " + ortReason + ")";
            var replica = new TorchSidecarReplica(p, new DataOutputStream(new BufferedOutputStream(p.getOutputStream(), 1 << 16)),
                    new DataInputStream(raw), sig, device, System.nanoTime() - t0);
            return replica;
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            if (e instanceof ModelLoadException m) throw m;
            throw new ModelLoadException("PyTorch sidecar failed at start: " + e.getMessage(), e);
        }
    }

    private static synchronized Path script() throws ModelLoadException {
        if (script != null && Files.isRegularFile(script)) return script;
        try (InputStream s = TorchSidecarReplica.class.getResourceAsStream("/io/prescale/live/gpu/torch_replica.py")) {
            Path f = Files.createTempFile("prescale-torch-replica", ".py");
            Files.copy(s, f, StandardCopyOption.REPLACE_EXISTING);
            f.toFile().deleteOnExit();
            script = f;
            return f;
        } catch (IOException | NullPointerException e) {
            throw new ModelLoadException("cannot unpack torch_replica.py: " + e.getMessage(), e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') b.append((char) c);
        return c == -1 && b.length() == 0 ? null : b.toString();
    }

    private static List<TensorSpec> specs(JsonNode a) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode t : a) {
            long[] dims = new long[t.path("shape").size()];
            for (int i = 0; i < dims.length; i++) dims[i] = t.path("shape").get(i).asLong();
            out.add(new TensorSpec(t.path("name").asText(), ElementType.parse(t.path("datatype").asText()), dims));
        }
        return out;
    }

    @Override public ModelSignature signature() { return signature; }
    @Override public String device() { return device; }
    @Override public long loadNanos() { return loadNanos; }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ArrayNode list = header.putArray("inputs");
        List<byte[]> blobs = new ArrayList<>();
        for (Tensor t : inputs.values()) {
            ObjectNode n = list.addObject();
            n.put("name", t.name());
            n.put("datatype", t.type().protocolName());
            ArrayNode s = n.putArray("shape");
            for (long d : t.shape()) s.add(d);
            blobs.add(BinaryTensors.encode(t));
        }
        byte[] h = JSON.writeValueAsBytes(header);
        try {
            out.writeInt(h.length);
            out.write(h);
            for (byte[] b : blobs) out.write(b);
            out.flush();
            return readReply();
        } catch (IOException e) {
            if (process.isAlive()) throw e;
            throw new IOException("the PyTorch sidecar exited (code " + exitCode() + "); its replica is being replaced", e);
        }
    }

    private Map<String, Tensor> readReply() throws IOException {
        int n = in.readInt();
        JsonNode reply = JSON.readTree(readFully(n));
        if (!reply.path("ok").asBoolean()) throw new IllegalStateException(reply.path("error").asText());
        Map<String, Tensor> outs = new LinkedHashMap<>();
        for (JsonNode o : reply.path("outputs")) {
            ElementType type = ElementType.parse(o.path("datatype").asText());
            long[] shape = new long[o.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = o.path("shape").get(i).asLong();
            int count = (int) Tensor.elementCount(shape);
            byte[] raw = readFully(count * BinaryTensors.elementBytes(type));
            outs.put(o.path("name").asText(), new Tensor(o.path("name").asText(), type, shape, BinaryTensors.decode(type, raw, 0, count)));
        }
        return outs;
    }

    /** readNBytes returns what there is when the stream ends early (the process died mid-reply): that is an error here. */
    private byte[] readFully(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new java.io.EOFException("the sidecar's reply ended after " + b.length + " of " + n + " bytes");
        return b;
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            out.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

}
