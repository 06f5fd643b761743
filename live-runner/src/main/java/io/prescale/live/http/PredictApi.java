package io.prescale.live.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.prescale.core.model.PriorityClass;
import io.prescale.live.LiveRuntime;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.Rejection;
import io.prescale.live.tensor.BinaryTensors;
import io.prescale.live.tensor.DataArrays;
import io.prescale.live.tensor.InvalidInputException;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorJson;
import io.prescale.live.tensor.TensorJsonWriter;
import io.prescale.live.tensor.TensorStreamReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Inference: {@code POST /predict} in the runner's own JSON form and {@code POST /v2/models/{name}/infer} in
 * the Open Inference Protocol (KServe v2 / Triton) form, plus the protocol's metadata and health endpoints.
 */
final class PredictApi {
    private final LiveRuntime runtime;
    private final long maxBodyBytes;
    private final java.util.concurrent.Executor responders;

    /**
     * {@code responders}: where a queued request's answer is encoded and written once its result is in (the server's
     * request threads): not on a replica's thread, which stays on inference, and not on a few threads of their own, which
     * a client that reads its answer slowly holds while the write waits for it.
     */
    PredictApi(LiveRuntime runtime, long maxBodyBytes, java.util.concurrent.Executor responders) {
        this.runtime = runtime;
        this.maxBodyBytes = maxBodyBytes;
        this.responders = responders;
    }

    /** The header of the binary tensor data extension: the JSON part's length, the tensors' bytes follow it. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** A parsed {@code /predict} body: the model, its inputs, and the request options. */
    private record PredictRequest(ModelServer server, Map<String, Tensor> inputs, ObjectNode meta) {}

    void predict(Context ctx) {
        byte[] b = body(ctx);
        ModelServer[] named = new ModelServer[1]; // the model the body names, once read: its metrics count a bad request
        PredictRequest r;
        Optional<PriorityClass> priority;
        Optional<Duration> deadline;
        try {
            r = parse(b, b.length, (json, length, cut) -> readPredict(json, length, cut, named));
            priority = priority(r.meta(), ctx);
            deadline = deadline(r.meta(), ctx);
        } catch (RuntimeException e) {
            countIfBadRequest(named[0], e);
            throw e;
        }
        ModelServer s = r.server();
        Map<String, Tensor> inputs = r.inputs();
        long submitted = System.nanoTime();
        respond(ctx, s.submit(inputs, priority, deadline), submitted, (c, out) -> {
            c.status(200).contentType("application/json").result(Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("model", s.name());
                g.writeFieldName("outputs");
                TensorJsonWriter.writeNamed(g, out);
                g.writeEndObject();
            }));
        });
    }

    /**
     * Counts {@code e} on {@code model}'s rejections (reason bad_request) when it is a 400 for a known model: wrong inputs,
     * options or JSON (not a body refused for its size or the load, which have limits and meters of their own).
     */
    private static void countIfBadRequest(ModelServer model, RuntimeException e) {
        if (model == null) return;
        boolean clientMistake = e instanceof InvalidInputException || e instanceof io.prescale.core.config.ConfigException
                || e instanceof ApiException a && a.status() == 400;
        if (clientMistake) model.badRequest();
    }

    /** The keys of a /predict body and of a protocol infer request (its extensions go in "parameters"). */
    private static final List<String> PREDICT_KEYS = List.of("model", "inputs", "priority", "deadlineMs"),
            INFER_KEYS = List.of("id", "inputs", "outputs", "parameters");

    private static ApiException unknownKey(String field, List<String> known) {
        return ApiException.badRequest(io.prescale.live.tensor.Quoted.of(field) + ": " + io.prescale.core.config.DidYouMean.unknownKey(field, known));
    }

    /** The value the parser is on, as JSON, cut short (it may be a whole document the client sent). */
    private static String shown(JsonParser p) throws IOException {
        return io.prescale.live.tensor.Quoted.json(p.readValueAsTree());
    }

    private PredictRequest readPredict(byte[] b, int length, DataArrays cut, ModelServer[] named) {
        ModelServer s = null;
        List<TensorStreamReader.Parsed> parsed = null;
        JsonNode deferred = null;
        ObjectNode meta = Json.MAPPER.createObjectNode();
        try (JsonParser p = Json.parser(b, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw ApiException.badRequest("expected {\"model\": NAME, \"inputs\": {name: {shape, data}}}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING)
                            throw ApiException.badRequest("'model' must be a string (the registered model's name), not " + shown(p));
                        s = server(p.getText());
                        named[0] = s;
                    }
                    case "inputs" -> {
                        // the model usually comes first; if not, its inputs wait as a tree until it is known
                        if (s != null) parsed = TensorStreamReader.readNamed(p, s.signature(), length / 2 + 1, cut);
                        else if (cut != null) throw new DataArrays.Unusable(); // the tree form needs the values in place
                        else deferred = p.readValueAsTree();
                    }
                    case "priority", "deadlineMs" -> meta.set(field, p.readValueAsTree());
                    default -> throw unknownKey(field, PREDICT_KEYS); // a misspelt "deadlineMs" was a request without one
                }
            }
            Json.requireEnd(p);
        } catch (IOException e) {
            throw Json.malformed(e);
        }
        if (s == null) throw ApiException.badRequest("'model' is missing (the registered model's name)");
        if (cut != null && !cut.allTaken()) throw new DataArrays.Unusable(); // a "data" array outside the inputs: read as given
        Map<String, Tensor> inputs = parsed != null ? TensorStreamReader.tensors(parsed) : TensorJson.readNamed(deferred, s.signature());
        s.signature().check(inputs);
        return new PredictRequest(s, inputs, meta);
    }

    /** {@code -Dprescale.readAhead=false} reads every body with the JSON parser alone, for comparison. */
    private static final boolean READ_AHEAD = !"false".equals(System.getProperty("prescale.readAhead"));

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body, int length, DataArrays cut);
    }

    /**
     * Reads the first {@code length} bytes of {@code b} with its numeric data arrays read ahead and cut out
     * ({@link DataArrays}: well under half the parser's time), and reads the original bytes instead when that fails for any
     * reason: the original's reading, its error messages included, is the one that counts.
     */
    private static <T> T parse(byte[] b, int length, BodyReader<T> reader) {
        DataArrays cut = READ_AHEAD ? DataArrays.scan(b, length) : null;
        if (cut != null && cut.cut()) {
            try {
                return reader.read(cut.body(), cut.length(), cut);
            } catch (RuntimeException e) {
                // the original bytes below give the answer
            }
        }
        return reader.read(b, length, null);
    }

    /**
     * The Open Inference Protocol's infer, with its binary tensor data extension: when the
     * Inference-Header-Content-Length header is present, the body is that many bytes of JSON followed by the
     * raw little-endian bytes of every input that says {@code "parameters": {"binary_data_size": N}}, in order.
     * Outputs come back binary when asked ({@code "parameters": {"binary_data_output": true}} on the request,
     * or {@code "binary_data": true} on one output).
     */
    void infer(Context ctx) {
        ModelServer s = server(ctx);
        InferRequest r;
        List<String> wanted;
        Optional<PriorityClass> priority;
        Optional<Duration> deadline;
        Map<String, Boolean> binary;
        boolean allBinary;
        try {
            byte[] b = body(ctx);
            int headerLength = headerLength(ctx, b.length);
            boolean headerGiven = ctx.header(HEADER_LENGTH) != null;
            r = parse(b, headerLength, (json, length, cut) -> readInfer(s, json, length, cut, b, headerLength, headerGiven));
            wanted = requestedOutputs(r.outputs(), s);
            priority = priority(r.parameters(), ctx);
            deadline = deadline(r.parameters(), ctx);
            binary = binaryOutputs(r.outputs());
            allBinary = flag(r.parameters().get("binary_data_output"), "parameters.binary_data_output");
        } catch (RuntimeException e) {
            countIfBadRequest(s, e);
            throw e;
        }
        Map<String, Tensor> inputs = r.inputs();
        JsonNode id = r.id();
        String requestId = id != null && id.isTextual() ? id.asText() : null;
        long submitted = System.nanoTime();
        respond(ctx, s.submit(inputs, priority, deadline), submitted, (c, out) -> {
            Map<String, Tensor> chosen = out;
            if (!wanted.isEmpty()) {
                chosen = new LinkedHashMap<>();
                for (String w : wanted) if (out.containsKey(w)) chosen.put(w, out.get(w));
            }
            Map<String, Tensor> answer = chosen;
            java.util.function.Predicate<String> asBinary = n -> binary.getOrDefault(n, allBinary);
            byte[] header = Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("model_name", s.name());
                if (requestId != null) g.writeStringField("id", requestId);
                g.writeFieldName("outputs");
                TensorJsonWriter.writeProtocol(g, answer, asBinary);
                g.writeEndObject();
            });
            int extra = 0;
            boolean anyBinary = false;
            for (Tensor t : answer.values()) {
                if (!asBinary.test(t.name())) continue;
                anyBinary = true;
                extra += BinaryTensors.size(t);
            }
            if (!anyBinary) {
                c.status(200).contentType("application/json").result(header);
                return;
            }
            ByteBuffer all = ByteBuffer.allocate(header.length + extra).put(header);
            for (Tensor t : answer.values()) if (asBinary.test(t.name())) BinaryTensors.encode(t, all);
            c.status(200).header(HEADER_LENGTH, Integer.toString(header.length)).contentType("application/octet-stream").result(all.array());
        });
    }

    /** A parsed protocol infer request: its inputs, and its id, outputs and parameters as given. */
    private record InferRequest(Map<String, Tensor> inputs, JsonNode id, JsonNode outputs, JsonNode parameters) {}

    /** The JSON header {@code json[0, length)} of an infer request; binary tensor data comes from {@code body} after its {@code headerLength} bytes. */
    private static InferRequest readInfer(ModelServer s, byte[] json, int length, DataArrays cut, byte[] body, int headerLength, boolean headerGiven) {
        List<TensorStreamReader.Parsed> parsed = null;
        JsonNode id = null, outputs = null, parameters = Json.MAPPER.createObjectNode();
        try (JsonParser p = Json.parser(json, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw ApiException.badRequest("expected {\"inputs\": [{name, shape, datatype, data}]}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "inputs" -> parsed = TensorStreamReader.readProtocol(p, s.signature(), length / 2 + 1, cut);
                    case "id" -> {
                        id = p.readValueAsTree();
                        // the protocol's id is a string, echoed in the answer: another type was dropped from it unsaid
                        if (id != null && !id.isNull() && !id.isTextual()) throw ApiException.badRequest("'id' must be a string, not " + io.prescale.live.tensor.Quoted.json(id));
                    }
                    case "outputs" -> outputs = p.readValueAsTree();
                    case "parameters" -> {
                        parameters = p.readValueAsTree();
                        if (parameters == null || !parameters.isObject()) throw ApiException.badRequest("'parameters' must be an object");
                    }
                    default -> throw unknownKey(field, INFER_KEYS); // a misspelt "outputs" was every output, as JSON
                }
            }
            // without the header, what follows the JSON may be binary tensor data sent without saying where it starts
            Json.requireEnd(p, headerGiven ? "" : ": binary tensor data needs the " + HEADER_LENGTH + " header (the length of the JSON part)");
        } catch (IOException e) {
            throw Json.malformed(e);
        }
        if (parsed == null) throw new InvalidInputException("'inputs' must be an array of {name, shape, datatype, data}");
        if (cut != null && !cut.allTaken()) throw new DataArrays.Unusable(); // a "data" array outside the inputs: read as given
        Map<String, Tensor> inputs = binaryInputs(parsed, body, headerLength, headerGiven);
        s.signature().check(inputs);
        return new InferRequest(inputs, id, outputs, parameters);
    }

    /** The JSON part's length from Inference-Header-Content-Length, or the whole body when it is absent. */
    private static int headerLength(Context ctx, int bodyLength) {
        String h = ctx.header(HEADER_LENGTH);
        if (h == null) return bodyLength;
        long n;
        try {
            n = Long.parseLong(h.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(HEADER_LENGTH + " must be a non-negative integer, not '" + h + "'");
        }
        if (n < 0) throw ApiException.badRequest(HEADER_LENGTH + " must be a non-negative integer, not '" + h + "'");
        if (n > bodyLength)
            throw ApiException.badRequest(HEADER_LENGTH + " is " + n + " but the body has only " + bodyLength + " bytes");
        return (int) n;
    }

    /** Inputs with their values: JSON data as read, binary data cut from the body after the header in input order. */
    private static Map<String, Tensor> binaryInputs(List<TensorStreamReader.Parsed> parsed, byte[] body, int headerLength, boolean headerGiven) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        long at = headerLength;
        for (TensorStreamReader.Parsed t : parsed) {
            if (t.binarySize() < 0) {
                out.put(t.name(), t.tensor());
                continue;
            }
            if (!headerGiven)
                throw ApiException.badRequest("input '" + t.name() + "' has parameters.binary_data_size but the request has no " + HEADER_LENGTH
                        + " header (the length of the JSON part before the binary data)");
            if (at + t.binarySize() > body.length)
                throw ApiException.badRequest("input '" + t.name() + "': binary_data_size " + t.binarySize() + " runs past the end of the body ("
                        + (body.length - at) + " bytes left after the header and earlier inputs)");
            out.put(t.name(), t.tensor(body, (int) at));
            at += t.binarySize();
        }
        if (at != body.length)
            throw ApiException.badRequest("the body has " + (body.length - headerLength) + " bytes after the " + headerLength
                    + "-byte JSON header but the inputs' binary_data_size add up to " + (at - headerLength));
        return out;
    }

    /** Per-output {"parameters": {"binary_data": true|false}} flags; an output not named follows "binary_data_output". */
    private static Map<String, Boolean> binaryOutputs(JsonNode outputs) {
        Map<String, Boolean> out = new HashMap<>();
        if (outputs == null || !outputs.isArray()) return out;
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode o = outputs.get(i), params = o.get("parameters");
            if (params == null || params.isNull()) continue;
            if (!params.isObject()) throw ApiException.badRequest("outputs[" + i + "].parameters must be an object");
            JsonNode flag = params.get("binary_data");
            if (flag != null) out.put(o.path("name").asText(), flag(flag, "outputs[" + i + "].parameters.binary_data"));
        }
        return out;
    }

    /**
     * A true-or-false parameter, false when absent; anything else is 400: {@code "binary_data_output": "yes"} (or 1) was read
     * as false, and the client got JSON it did not ask for.
     */
    private static boolean flag(JsonNode value, String name) {
        if (value == null || value.isNull()) return false;
        if (!value.isBoolean()) throw ApiException.badRequest(name + " must be true or false, not " + io.prescale.live.tensor.Quoted.json(value));
        return value.booleanValue();
    }

    /** The outputs asked for by name ({@code "outputs": [{"name": ..}]}); none named: all of them. */
    private static List<String> requestedOutputs(JsonNode outputs, ModelServer s) {
        if (outputs == null || outputs.isNull()) return List.of();
        if (!outputs.isArray()) throw ApiException.badRequest("'outputs' must be an array of {name, parameters?}");
        List<String> known = s.signature().outputs().stream().map(io.prescale.live.tensor.TensorSpec::name).toList();
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode o : outputs) {
            String name = o.path("name").asText(null);
            if (name == null) throw ApiException.badRequest("outputs[" + names.size() + "].name is missing");
            if (!known.contains(name)) throw ApiException.badRequest("unknown output " + io.prescale.live.tensor.Quoted.of(name) + " (the model gives " + known + ")");
            names.add(name);
        }
        return names;
    }

    /** GET /v2/models/{name}: the protocol's model metadata. */
    void metadata(Context ctx) {
        ModelServer s = server(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("versions", List.of(VERSION));
        m.put("platform", "onnxruntime_onnx");
        m.put("inputs", s.signature().inputs().stream().map(ModelsApi::tensor).toList());
        m.put("outputs", s.signature().outputs().stream().map(ModelsApi::tensor).toList());
        Json.send(ctx, 200, m);
    }

    void modelReady(Context ctx) {
        ModelServer s = server(ctx);
        Json.send(ctx, s.replicasReady() > 0 ? 200 : 503, Map.of("name", s.name(), "ready", s.replicasReady() > 0));
    }

    private byte[] body(Context ctx) {
        return Bodies.read(ctx, maxBodyBytes);
    }

    /** The one version of every model, as the protocol's metadata lists it and its version paths name it. */
    static final String VERSION = "1";

    /** The model a protocol path names, and on a version path ({@code /versions/{version}}) the version it has. */
    private ModelServer server(Context ctx) {
        ModelServer s = server(ctx.pathParam("name"));
        String version = ctx.pathParamMap().get("version");
        if (version != null && !version.equals(VERSION))
            throw ApiException.notFound("model " + io.prescale.live.tensor.Quoted.of(s.name()) + " has no version "
                    + io.prescale.live.tensor.Quoted.of(version) + " (its only version is " + VERSION + ")");
        return s;
    }

    private ModelServer server(String name) {
        return runtime.registry().get(name).orElseThrow(() -> ApiException.notFound("no model named " + io.prescale.live.tensor.Quoted.of(name)));
    }

    private static Optional<PriorityClass> priority(JsonNode body, Context ctx) {
        JsonNode given = body.get("priority");
        if (given != null && !given.isTextual()) throw ApiException.badRequest("priority must be a string (one of critical, high, normal, low, batch)");
        String p = given != null ? given.asText() : ctx.header("X-Priority");
        if (p == null) return Optional.empty();
        try {
            return Optional.of(PriorityClass.parse(p));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("priority: unknown priority " + io.prescale.live.tensor.Quoted.of(p) + " (one of critical, high, normal, low, batch)");
        }
    }

    /** A deadline from "deadlineMs" in the body (or the X-Deadline-Ms header); none: the model's timeout. */
    private static Optional<Duration> deadline(JsonNode body, Context ctx) {
        JsonNode d = body.get("deadlineMs");
        String h = ctx.header("X-Deadline-Ms");
        if (d == null && h == null) return Optional.empty();
        long ms;
        if (d != null) {
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() <= 0)
                throw ApiException.badRequest("deadlineMs must be a positive integer of at most " + MAX_DEADLINE_MS + ", not " + d);
            ms = d.asLong();
        } else {
            try {
                ms = Long.parseLong(h.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("X-Deadline-Ms must be a positive integer");
            }
            if (ms <= 0) throw ApiException.badRequest("X-Deadline-Ms must be a positive integer");
        }
        if (ms > MAX_DEADLINE_MS) throw ApiException.badRequest("a deadline is at most " + MAX_DEADLINE_MS + " ms (a day), not " + ms);
        return Optional.of(Duration.ofMillis(ms));
    }

    private static final long MAX_DEADLINE_MS = 86_400_000;

    static final String SERVER_TIMING = "Server-Timing";

    /** Writes a successful answer on {@code ctx}. */
    @FunctionalInterface
    private interface Render {
        void send(Context ctx, Map<String, Tensor> outputs) throws IOException;
    }

    /**
     * Answers once the result is in. A served answer carries {@code Server-Timing: infer;dur=MS}: the milliseconds
     * from the parsed request's hand-over to the model until its outputs were ready (queue, batching and the
     * run), so a client can tell the server's queueing from what HTTP and JSON cost it.
     */
    private void respond(Context ctx, CompletableFuture<Map<String, Tensor>> result, long submittedNanos, Render render) {
        if (result.isDone()) {
            // answered on this thread already (a direct run, or a rejection): no hand-off to write it
            Map<String, Tensor> out = null;
            Throwable err = null;
            try {
                out = result.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                err = e;
            }
            answer(ctx, out, err, System.nanoTime() - submittedNanos, render);
            return;
        }
        ctx.future(() -> result.handleAsync((out, err) -> {
            answer(ctx, out, err, System.nanoTime() - submittedNanos, render);
            return null;
        }, responders)); // Javalin writes the answer on the thread that completes this: blocked while its client is slow
    }

    private static void answer(Context ctx, Map<String, Tensor> out, Throwable err, long inferNanos, Render render) {
        if (err == null) {
            try {
                ctx.header(SERVER_TIMING, String.format(java.util.Locale.ROOT, "infer;dur=%.3f", inferNanos / 1e6));
                render.send(ctx, out);
            } catch (IOException | RuntimeException e) {
                Json.send(ctx, 500, Map.of("error", "cannot encode the answer: " + e));
            }
        } else {
            Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (t instanceof Rejection r) ErrorMapping.rejection(ctx, r);
            else if (t instanceof InvalidInputException i) Json.send(ctx, 400, Map.of("error", i.getMessage()));
            else Json.send(ctx, 500, Map.of("error", "inference failed: " + t));
        }
    }
}
