package io.prescale.live.http;

import ai.onnxruntime.OrtException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.prescale.core.config.ConfigException;
import io.prescale.live.loop.LiveUnsupportedException;
import io.prescale.live.registry.DuplicateModelException;
import io.prescale.live.registry.RegistryFullException;
import io.prescale.live.serve.Rejection;
import io.prescale.live.tensor.InvalidInputException;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every failure becomes a status and a JSON reason; client mistakes are 4xx, only the runner's own faults are 5xx. */
final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {}

    static void handle(Exception e, Context ctx) {
        BadMessageException bad = badMessage(e);
        if (e instanceof ApiException a) {
            error(ctx, a.status(), a.getMessage(), null);
        } else if (e instanceof io.prescale.live.registry.PoolFullException f) {
            error(ctx, 409, f.getMessage(), f.path()); // fits the pool, not beside what is placed: a removal or scale-down makes room
        } else if (e instanceof ConfigException c) {
            error(ctx, 400, c.getMessage(), c.path());
        } else if (e instanceof InvalidInputException i) {
            error(ctx, 400, i.getMessage(), null);
        } else if (e instanceof DuplicateModelException d) {
            error(ctx, 409, d.getMessage(), "name");
        } else if (e instanceof RegistryFullException f) {
            error(ctx, 429, f.getMessage(), null);
        } else if (e instanceof io.prescale.live.registry.RegistryClosedException c) {
            error(ctx, 503, c.getMessage(), null);
        } else if (e instanceof io.prescale.live.state.PolicyStoreFullException f) {
            error(ctx, 429, f.getMessage(), null); // no Retry-After, as for --max-models: only a removal makes room
        } else if (e instanceof LiveUnsupportedException u) {
            error(ctx, 409, u.getMessage(), "policy");
        } else if (e instanceof Rejection r) {
            rejection(ctx, r);
        } else if (e instanceof OrtException o) {
            String why = o instanceof io.prescale.live.onnx.ModelLoadException ? firstLine(o.getMessage())
                    : "not a model ONNX Runtime can load: " + firstLine(o.getMessage());
            error(ctx, 400, "file: " + why, "file");
        } else if (e instanceof HttpResponseException h) {
            String msg = h.getStatus() == 413 ? "request body too large: " + h.getMessage() : h.getMessage();
            error(ctx, h.getStatus(), msg, null);
        } else if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("URLDecoder:")) {
            // a path parameter with a '%' that is no escape (%u002e, %zz), decoded when a handler reads it: was a 500
            error(ctx, 400, "path " + io.prescale.live.tensor.Quoted.of(ctx.path()) + " holds a '%' that is not an escape (%XX): "
                    + e.getMessage().substring("URLDecoder:".length()).trim(), null);
        } else if (bad != null) {
            // Jetty's own refusals while reading a body (a broken chunk, say); the body rate floor is the runner's own
            // (BodyRateFloor, answered by Bodies), not Jetty's
            ctx.header("Connection", "close");
            String reason = bad.getCode() == 408 ? "request timed out: " + bad.getReason() : "bad request: " + bad.getReason();
            error(ctx, bad.getCode(), reason, null);
        } else {
            LOG.warn("internal error on {} {}", ctx.method(), ctx.path(), e);
            io.prescale.live.metrics.LiveMetrics metrics = ctx.appData(LiveServer.METRICS);
            if (metrics != null) metrics.serverError();
            error(ctx, 500, "internal error: " + e, null);
        }
    }

    static void rejection(Context ctx, Rejection r) {
        int status = switch (r.kind()) {
            case QUEUE_FULL, DEADLINE_UNMEETABLE, POOL_FULL -> 429;
            case DEADLINE_EXPIRED -> 504;
            case DRAINING, REPLICA_LOST -> 503;
            case RUN_FAILED, DEADLINE_TOO_SHORT -> 422;
            case BAD_REQUEST -> 400;
        };
        if (status == 429 || status == 503) ctx.header("Retry-After", Long.toString(r.retryAfterSeconds()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", r.getMessage());
        body.put("reason", r.kind().name().toLowerCase());
        Json.send(ctx, status, body);
    }

    static void error(Context ctx, int status, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (field != null) body.put("field", field);
        Json.send(ctx, status, body);
    }

    /** The Jetty BadMessageException in {@code e}'s causes, or null. */
    private static BadMessageException badMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof BadMessageException b) return b;
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
