package io.prescale.live.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.prescale.core.model.PriorityClass;
import io.prescale.live.LiveRuntime;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.Rejection;
import io.prescale.live.tensor.InvalidInputException;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorJson;

import java.time.Duration;
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

    PredictApi(LiveRuntime runtime, long maxBodyBytes) {
        this.runtime = runtime;
        this.maxBodyBytes = maxBodyBytes;
    }

    void predict(Context ctx) {
        JsonNode body = Json.readTree(body(ctx));
        if (!body.isObject()) throw ApiException.badRequest("expected {\"model\": NAME, \"inputs\": {name: {shape, data}}}");
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual()) throw ApiException.badRequest("'model' is missing (the registered model's name)");
        ModelServer s = server(model.asText());
        Map<String, Tensor> inputs = TensorJson.readNamed(body.get("inputs"), s.signature());
        s.signature().check(inputs);
        respond(ctx, s.submit(inputs, priority(body, ctx), deadline(body, ctx)), out -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", s.name());
            r.put("outputs", TensorJson.writeNamed(out));
            return r;
        });
    }

    void infer(Context ctx) {
        ModelServer s = server(ctx.pathParam("name"));
        JsonNode body = Json.readTree(body(ctx));
        if (!body.isObject()) throw ApiException.badRequest("expected {\"inputs\": [{name, shape, datatype, data}]}");
        Map<String, Tensor> inputs = TensorJson.readProtocol(body.get("inputs"), s.signature());
        s.signature().check(inputs);
        List<String> wanted = requestedOutputs(body.get("outputs"));
        JsonNode id = body.get("id");
        respond(ctx, s.submit(inputs, priority(body.path("parameters"), ctx), deadline(body.path("parameters"), ctx)), out -> {
            Map<String, Tensor> chosen = out;
            if (!wanted.isEmpty()) {
                chosen = new LinkedHashMap<>();
                for (String w : wanted) if (out.containsKey(w)) chosen.put(w, out.get(w));
            }
            ObjectNode r = Json.MAPPER.createObjectNode();
            r.put("model_name", s.name());
            if (id != null && id.isTextual()) r.put("id", id.asText());
            r.set("outputs", TensorJson.writeProtocol(chosen));
            return r;
        });
    }

    private List<String> requestedOutputs(JsonNode outputs) {
        if (outputs == null || !outputs.isArray()) return List.of();
        return java.util.stream.StreamSupport.stream(outputs.spliterator(), false).map(o -> o.path("name").asText()).toList();
    }

    /** GET /v2/models/{name}: the protocol's model metadata. */
    void metadata(Context ctx) {
        ModelServer s = server(ctx.pathParam("name"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("versions", List.of("1"));
        m.put("platform", "onnxruntime_onnx");
        m.put("inputs", s.signature().inputs().stream().map(ModelsApi::tensor).toList());
        m.put("outputs", s.signature().outputs().stream().map(ModelsApi::tensor).toList());
        Json.send(ctx, 200, m);
    }

    void modelReady(Context ctx) {
        ModelServer s = server(ctx.pathParam("name"));
        Json.send(ctx, s.replicasReady() > 0 ? 200 : 503, Map.of("name", s.name(), "ready", s.replicasReady() > 0));
    }

    private byte[] body(Context ctx) {
        byte[] b = ctx.bodyAsBytes();
        if (b.length > maxBodyBytes) throw new ApiException(413, "body of " + b.length + " bytes is above the limit of " + maxBodyBytes + " (--max-body)");
        return b;
    }

    private ModelServer server(String name) {
        return runtime.registry().get(name).orElseThrow(() -> ApiException.notFound("no model named '" + name + "'"));
    }

    private static Optional<PriorityClass> priority(JsonNode body, Context ctx) {
        String p = body.path("priority").isTextual() ? body.get("priority").asText() : ctx.header("X-Priority");
        if (p == null) return Optional.empty();
        try {
            return Optional.of(PriorityClass.parse(p));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("priority: " + e.getMessage());
        }
    }

    /** A deadline from "deadlineMs" in the body (or the X-Deadline-Ms header); none: the model's timeout. */
    private static Optional<Duration> deadline(JsonNode body, Context ctx) {
        JsonNode d = body.get("deadlineMs");
        String h = ctx.header("X-Deadline-Ms");
        if (d == null && h == null) return Optional.empty();
        long ms;
        if (d != null) {
            if (!d.isIntegralNumber() || d.asLong() <= 0) throw ApiException.badRequest("deadlineMs must be a positive integer");
            ms = d.asLong();
        } else {
            try {
                ms = Long.parseLong(h.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("X-Deadline-Ms must be a positive integer");
            }
            if (ms <= 0) throw ApiException.badRequest("X-Deadline-Ms must be a positive integer");
        }
        return Optional.of(Duration.ofMillis(ms));
    }

    /**
     * Answers are encoded off the replica threads (the future completes on one): a replica's core stays on
     * inference while JSON is written here.
     */
    private static final java.util.concurrent.Executor RESPONDERS = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "predict-responder");
                t.setDaemon(true);
                return t;
            });

    private static void respond(Context ctx, CompletableFuture<Map<String, Tensor>> result,
                                java.util.function.Function<Map<String, Tensor>, Object> render) {
        ctx.future(() -> result.handleAsync((out, err) -> {
            if (err == null) {
                Json.send(ctx, 200, render.apply(out));
            } else {
                Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (t instanceof Rejection r) ErrorMapping.rejection(ctx, r);
                else if (t instanceof InvalidInputException i) Json.send(ctx, 400, Map.of("error", i.getMessage()));
                else Json.send(ctx, 500, Map.of("error", "inference failed: " + t));
            }
            return null;
        }, RESPONDERS));
    }
}
