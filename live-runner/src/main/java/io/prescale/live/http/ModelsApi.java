package io.prescale.live.http;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import jakarta.servlet.http.Part;
import org.eclipse.jetty.server.MultiPartFormInputStream;
import io.prescale.core.config.ConfigException;
import io.prescale.live.LiveRuntime;
import io.prescale.live.registry.ModelRegistration;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.tensor.TensorSpec;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/** /models: register (a file in the model store, or a multipart upload), list, describe, drain and remove. */
final class ModelsApi {
    private final LiveRuntime runtime;
    private final long maxUploadBytes;
    private final long maxBodyBytes;
    /** Held while an upload is stored and registered, and while a removed model's upload is deleted. */
    private final Object uploads = new Object();
    /**
     * Uploads received at once. A multipart body is outside the body budget (its file part streams to disk, up to
     * --max-upload each), and each in-memory part can hold up to 64 KB: uploads are rare administrative calls, so a
     * few at a time bound both the heap and the disk they can take; more are 429.
     */
    static final int MAX_UPLOADS_AT_ONCE = 2;
    private final Semaphore uploadSlots = new Semaphore(MAX_UPLOADS_AT_ONCE);

    ModelsApi(LiveRuntime runtime, long maxUploadBytes, long maxBodyBytes) {
        this.runtime = runtime;
        this.maxUploadBytes = maxUploadBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Uploads being received or stored now. */
    int uploadsInFlight() {
        return MAX_UPLOADS_AT_ONCE - uploadSlots.availablePermits();
    }

    void list(Context ctx) {
        List<Map<String, Object>> out = runtime.registry().all().stream().map(ModelsApi::summary).toList();
        Json.send(ctx, 200, Map.of("models", out));
    }

    void get(Context ctx) {
        Json.send(ctx, 200, describe(server(ctx)));
    }

    void register(Context ctx) throws OrtException {
        String type = String.valueOf(ctx.contentType()).toLowerCase();
        ModelServer s;
        if (type.startsWith("multipart/form-data")) {
            if (!uploadSlots.tryAcquire()) {
                ctx.header("Retry-After", "5");
                throw new ApiException(429, "server busy: " + MAX_UPLOADS_AT_ONCE + " model uploads are being received; retry later");
            }
            try {
                s = registerUpload(ctx);
            } finally {
                uploadSlots.release();
            }
        } else if (type.startsWith("multipart/")) { // read as JSON it was 'malformed JSON' at the boundary line
            throw new ApiException(415, "a registration is JSON, or an upload as multipart/form-data, not " + type.split(";")[0].trim());
        } else {
            JsonNode tree = Json.readTree(Bodies.read(ctx, maxBodyBytes));
            if (!tree.isObject()) throw ApiException.badRequest("expected a JSON object (the registration)");
            ModelRegistration reg = Json.bind(Json.STRICT, tree, ModelRegistration.class);
            if (java.nio.file.Path.of(reg.file()).normalize().startsWith("uploads")) {
                synchronized (uploads) { // an upload's file: not while it is being replaced or deleted
                    s = runtime.register(reg);
                }
            } else {
                s = runtime.register(reg);
            }
        }
        ctx.header("Location", "/models/" + s.name());
        Json.send(ctx, 201, describe(s));
    }

    /**
     * A registration whose model file comes with it: stored as uploads/NAME.onnx, streamed to disk. The multipart
     * body is read first (a slow uploader holds no lock), then one upload at a time is stored and registered, so two
     * uploads of one name cannot overwrite each other's file; a file that fails to register is removed.
     */
    private ModelServer registerUpload(Context ctx) throws OrtException {
        MultiPartFormInputStream parts;
        try {
            java.nio.file.Path spool = java.nio.file.Files.createDirectories(runtime.options().uploadsReceiving());
            // parsed here rather than by Jetty (Request.getParts), so that the body is read under the rate floor, which
            // times the reads it waits on (BodyRateFloor): Jetty's parser reads the request's own stream
            parts = new MultiPartFormInputStream(Bodies.guarded(ctx), mediaTypeInLowerCase(ctx.req().getContentType()),
                    new jakarta.servlet.MultipartConfigElement(spool.toString(), maxUploadBytes, maxUploadBytes + (1 << 20), SPOOL_ABOVE_BYTES),
                    spool.toFile(), MAX_PARTS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + runtime.options().uploadsReceiving() + " for uploads: " + e.getMessage(), e);
        }
        try {
            return registerUpload(ctx, parts);
        } finally {
            parts.deleteParts(); // the parts spooled to disk, whatever the outcome (the upload itself is stored by now)
        }
    }

    /**
     * {@code contentType} with its media type (before any ';') in lower case, its parameters as sent: a media type is
     * case-insensitive (RFC 9110), a boundary is not, and Jetty's multipart parser takes only "multipart/form-data" as
     * written so ("Multipart/Form-Data" was a 500).
     */
    static String mediaTypeInLowerCase(String contentType) {
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
        return semi < 0 ? type : type + contentType.substring(semi);
    }

    /**
     * Parts above this are spooled to disk (in the state folder's uploads-receiving/): a multipart body, outside the body
     * budget, keeps little on the heap.
     */
    static final int SPOOL_ABOVE_BYTES = 64 << 10;

    /** Parts a multipart body may have: a 'spec' and a 'file', and a few more to be refused by name rather than as too many. */
    static final int MAX_PARTS = 16;

    private ModelServer registerUpload(Context ctx, MultiPartFormInputStream body) throws OrtException {
        String spec;
        Part file;
        try {
            // one 'spec' and one 'file' part, nothing else: a part the runner would not read is refused, not dropped unseen
            Map<String, List<Part>> files = new LinkedHashMap<>(), fields = new LinkedHashMap<>();
            for (Part part : body.getParts())
                (part.getSubmittedFileName() != null ? files : fields).computeIfAbsent(part.getName(), k -> new java.util.ArrayList<>()).add(part);
            for (String part : files.keySet())
                if (!part.equals("file")) throw ApiException.badRequest("multipart upload has a file part '" + part + "': send the model as the one part named 'file'");
            for (String part : fields.keySet()) {
                if (part.equals("file")) throw ApiException.badRequest("multipart upload has a 'file' part that is not a file (no filename): send the .onnx as a file part");
                if (!part.equals("spec")) throw ApiException.badRequest("multipart upload has a part '" + part + "': only 'spec' (the registration JSON) and 'file' (the .onnx) are read");
            }
            if (files.getOrDefault("file", List.of()).size() > 1)
                throw ApiException.badRequest("multipart upload has " + files.get("file").size() + " 'file' parts: send one model file per registration");
            if (fields.getOrDefault("spec", List.of()).size() > 1)
                throw ApiException.badRequest("multipart upload has " + fields.get("spec").size() + " 'spec' parts: send one registration");
            Part specPart = fields.containsKey("spec") ? fields.get("spec").get(0) : null;
            if (specPart != null && specPart.getSize() > maxBodyBytes)
                throw new ApiException(413, "'spec' part of " + specPart.getSize() + " bytes is above the limit of " + maxBodyBytes + " (--max-body)");
            spec = specPart == null ? null : new String(specPart.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            file = files.containsKey("file") ? files.get("file").get(0) : null;
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            ApiException late = Bodies.late(ctx, e);
            if (late != null) throw late;
            // Jetty's multipart parser: a part or the whole request over the configured limits (IllegalStateException),
            // or a broken body (an IOException)
            String why = String.valueOf(e.getMessage());
            if (why.contains("exceeds max")) throw new ApiException(413, "upload above the limit of " + maxUploadBytes + " bytes (--max-upload): " + why);
            throw ApiException.badRequest("malformed multipart body: " + why);
        }
        if (spec == null) throw ApiException.badRequest("multipart upload needs a 'spec' part (the registration JSON) and a 'file' part (the .onnx)");
        if (file == null) throw ApiException.badRequest("multipart upload has no 'file' part");
        JsonNode tree = Json.readTree(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!tree.isObject()) throw ApiException.badRequest("'spec' must be a JSON object");
        if (tree.has("file"))
            throw new ConfigException("file", "given twice: in 'spec' (a path in the model store) and as the uploaded 'file' part; "
                    + "leave it out of 'spec' to register the upload, or send the JSON alone to register the stored file");
        String name = tree.path("name").asText("");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) throw new ConfigException("name", "missing or invalid");
        if (file.getSize() > maxUploadBytes) throw new ApiException(413, "upload of " + file.getSize() + " bytes is above the limit of " + maxUploadBytes);
        ((ObjectNode) tree).put("file", "uploads/" + name + ".onnx");
        ModelRegistration reg = Json.bind(Json.STRICT, tree, ModelRegistration.class);
        synchronized (uploads) {
            if (runtime.registry().get(name).isPresent()) throw new io.prescale.live.registry.DuplicateModelException(name);
            runtime.registry().requireRoom(); // before the upload is written, not after
            // a model registered under another name may have been pointed at this upload's file: never overwrite it
            for (ModelServer other : runtime.registry().all())
                if (sameFile(other.registration().file(), reg.file()))
                    throw new ApiException(409, "file '" + reg.file() + "' is in use by model '" + other.name() + "'");
            runtime.pendingUploads().begin(name); // a crash from here to the registration on file leaves the upload to remove
            try {
                try (InputStream in = file.getInputStream()) {
                    runtime.registry().store().saveUpload(name, in);
                } catch (IOException e) {
                    throw ApiException.badRequest("cannot read the uploaded file: " + e.getMessage());
                }
                try {
                    return runtime.register(reg);
                } catch (OrtException | RuntimeException e) {
                    runtime.registry().store().deleteUpload(name);
                    throw e;
                }
            } finally {
                runtime.pendingUploads().end(name);
            }
        }
    }

    void delete(Context ctx) throws InterruptedException {
        String name = ctx.pathParam("name");
        String upload = "uploads/" + name + ".onnx";
        ModelServer target = server(ctx);
        boolean uploaded = sameFile(target.registration().file(), upload);
        // only the model looked up is removed: if another request removed it meanwhile, the name may hold a new model by
        // now (an upload, at the same path), which this request leaves alone, registration, file and all
        boolean removed;
        if (uploaded) {
            // the upload is marked before its registration goes (a crash in between must not leave it for ever), and
            // under the uploads' lock, so an upload of the name being stored cannot clear the mark
            synchronized (uploads) {
                removed = runtime.registry().detach(name, target, () -> runtime.pendingUploads().begin(name));
            }
        } else {
            removed = runtime.registry().detach(name, target, () -> {});
        }
        if (!removed) throw ApiException.notFound("model '" + name + "' was removed meanwhile by another request; "
                + "a model registered under the name since is left in place");
        boolean drained = target.drain(Duration.ofSeconds(30));
        runtime.history().forget(name, target); // after the drain: a model registered again meanwhile keeps its baseline
        // the file uploaded with this model goes with it, unless another registration reads it: one registered meanwhile,
        // or one on file that this start could not restore
        if (uploaded) {
            synchronized (uploads) {
                if (!runtime.registry().mayRead(upload)) runtime.registry().store().deleteUpload(name);
                runtime.pendingUploads().end(name);
            }
        }
        // drained: false when the grace period ran out and what was still queued or running was answered 503
        Json.send(ctx, 200, Map.of("removed", name, "drained", drained));
    }

    /** Two model-store paths naming one file ("uploads/a.onnx", "uploads/./a.onnx"). */
    private static boolean sameFile(String a, String b) {
        return java.nio.file.Path.of(a).normalize().equals(java.nio.file.Path.of(b).normalize());
    }

    private ModelServer server(Context ctx) {
        String name = ctx.pathParam("name");
        return runtime.registry().get(name).orElseThrow(() -> ApiException.notFound("no model named '" + name + "'"));
    }

    static Map<String, Object> summary(ModelServer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("file", s.registration().file());
        m.put("state", state(s));
        s.unplacedReason().filter(why -> s.target() == 0).ifPresent(why -> m.put("reason", why));
        m.put("device", s.device());
        m.put("replicas", replicas(s));
        m.put("queueDepth", s.queueDepth());
        return m;
    }

    private static String state(ModelServer s) {
        if (s.replicasReady() > 0) return "ready";
        if (s.replicasStarting() > 0) return "loading";
        // restored past a smaller pool: registered, with no replica until there is room ("reason" says why)
        if (s.target() == 0 && s.unplacedReason().isPresent()) return "unplaced";
        return "scaled-to-zero";
    }

    private static Map<String, Object> replicas(ModelServer s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ready", s.replicasReady());
        r.put("starting", s.replicasStarting());
        r.put("target", s.target());
        r.put("min", s.registration().minReplicas());
        r.put("max", s.registration().maxReplicas());
        return r;
    }

    Map<String, Object> describe(ModelServer s) {
        Map<String, Object> m = summary(s);
        m.put("registration", s.registration());
        m.put("pool", ModelServer.POOL);
        m.put("poolUsage", poolUsage(runtime.registry().pool(), s));
        m.put("batchable", s.batchable());
        m.put("inputs", s.signature().inputs().stream().map(ModelsApi::tensor).toList());
        m.put("outputs", s.signature().outputs().stream().map(ModelsApi::tensor).toList());
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("loadTimeMs", s.lastLoadNanos() / 1e6);
        measured.put("warmUp", s.warmUp());
        s.latency().profile().ifPresent(p -> measured.put("latencyProfile",
                Map.of("baseSeconds", p.baseSeconds(), "perItemSeconds", p.perItemSeconds())));
        Map<String, Double> means = new LinkedHashMap<>();
        s.latency().means().forEach((b, sec) -> means.put(Integer.toString(b), sec));
        measured.put("batchSeconds", means);
        measured.put("coldStarts", s.coldStarts());
        measured.put("replicasLost", s.replicasLost());
        measured.put("replicaSeconds", s.replicaSeconds());
        m.put("measured", measured);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("arrivals", s.totalArrivals());
        totals.put("completed", s.totalCompleted());
        totals.put("rejected", s.totalDropped());
        totals.put("timedOut", s.totalTimedOut());
        m.put("totals", totals);
        return m;
    }

    /** What the pool holds and can: CPU threads (and GPU memory per GPU known), and this model's part of it. */
    static Map<String, Object> poolUsage(io.prescale.live.registry.LocalPool pool, ModelServer s) {
        io.prescale.live.registry.LocalPool.Usage u = pool.usage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuThreads", Map.of("used", u.cpuThreadsUsed(), "capacity", u.cpuThreads(), "model", s.target() * s.registration().resources().cpuThreads()));
        List<Map<String, Object>> gpus = new java.util.ArrayList<>();
        for (int d = 0; d < u.gpuMemoryMb().size(); d++) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("device", d);
            g.put("used", u.gpuMemoryUsedMb().get(d));
            g.put("capacity", u.gpuMemoryMb().get(d));
            gpus.add(g);
        }
        m.put("gpuMemoryMb", gpus);
        m.put("enforced", pool.capacity().enforced());
        return m;
    }

    static Map<String, Object> tensor(TensorSpec t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("datatype", t.type().protocolName());
        m.put("shape", t.dims());
        return m;
    }
}
