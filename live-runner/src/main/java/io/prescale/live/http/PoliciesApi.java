package io.prescale.live.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;
import io.prescale.live.LiveRuntime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * /policies: scaling policies in the file form a sweep writes ({@code prescale.policy/v1}, YAML or JSON, so
 * {@code winner.yaml} posts as is), validated against the policy catalog; activation swaps the policy the
 * control loop runs.
 */
final class PoliciesApi {
    /**
     * A policy file's largest body (a winner.yaml is about a kilobyte): GET /policies answers with every stored
     * file, so --max-policies files of --max-body each would make one answer of gigabytes.
     */
    static final long MAX_POLICY_BYTES = 256 << 10;

    private final LiveRuntime runtime;
    private final long maxBodyBytes;
    private final String limitName; // what the 413 names: the smaller of the two limits is the one that refused

    PoliciesApi(LiveRuntime runtime, long maxBodyBytes) {
        this.runtime = runtime;
        this.maxBodyBytes = Math.min(maxBodyBytes, MAX_POLICY_BYTES);
        this.limitName = maxBodyBytes < MAX_POLICY_BYTES ? "--max-body" : "a policy file's limit";
    }

    void list(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", runtime.control().activeName().orElse(null));
        m.put("policies", runtime.policyStore().list());
        m.put("catalog", new TreeSet<>(runtime.options().policies().ids()));
        m.put("recentDecisions", runtime.control().recentDecisions());
        Json.send(ctx, 200, m);
    }

    /** A stored policy as JSON, or as YAML (the form it is stored in) when the Accept header prefers it; 406 when it takes neither. */
    void get(Context ctx) {
        PolicyFile p = stored(ctx.pathParam("name"));
        String as = representation(ctx.header("Accept"));
        if (as == null)
            throw new ApiException(406, "GET /policies/{name} answers application/json or application/yaml, not " + ctx.header("Accept"));
        if (as.equals("json")) {
            Json.send(ctx, 200, p);
            return;
        }
        try {
            ctx.status(200).contentType("application/yaml").result(Yaml.yaml().writeValueAsBytes(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * "json" or "yaml", whichever {@code accept} gives the higher quality (the first named on a tie; a wildcard is JSON),
     * or null when it takes neither. No Accept header: JSON.
     */
    static String representation(String accept) {
        if (accept == null || accept.isBlank()) return "json";
        String best = null;
        double bestQuality = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                if (!param.startsWith("q=")) continue;
                try {
                    q = Double.parseDouble(param.substring(2).trim());
                } catch (NumberFormatException e) {
                    q = 0;
                }
            }
            String kind = switch (parts[0].trim().toLowerCase(java.util.Locale.ROOT)) {
                case "application/json", "application/*", "*/*" -> "json";
                case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> "yaml";
                default -> null;
            };
            if (kind != null && q > bestQuality) {
                best = kind;
                bestQuality = q;
            }
        }
        return best;
    }

    void create(Context ctx) {
        // a POST is a new policy (an existing name is 409): a full store refuses it before its body is read
        runtime.policyStore().requireRoom();
        PolicyFile p = parse(Bodies.read(ctx, maxBodyBytes, limitName), null);
        synchronized (runtime.policyChanges()) {
            if (runtime.policyStore().exists(p.name()))
                throw new ApiException(409, "policy '" + p.name() + "' exists: PUT /policies/" + p.name() + " to replace it");
            runtime.control().validate(p);
            runtime.policyStore().put(p);
        }
        ctx.header("Location", "/policies/" + p.name());
        Json.send(ctx, 201, p);
    }

    void replace(Context ctx) {
        String name = ctx.pathParam("name");
        // a name no policy may have is the client's mistake whether or not the store is full: 400 before any 429
        io.prescale.core.config.PolicyFile.requireValidName(name);
        runtime.policyStore().requireRoomFor(name); // a new name on a full store, before the body is read; a stored one has room
        PolicyFile p = parse(Bodies.read(ctx, maxBodyBytes, limitName), name);
        boolean created;
        synchronized (runtime.policyChanges()) {
            var prepared = runtime.control().prepare(p); // built once: activating it reads its forecaster's files no more
            boolean active = runtime.control().activeName().filter(name::equals).isPresent();
            // the running policy's file is replaced only by one that can run: else the file and what runs part ways
            if (active) runtime.control().requireDeployable(p);
            created = !runtime.policyStore().exists(name); // stored, readable or not: a PUT replaces one that no longer reads
            runtime.policyStore().put(p);
            if (active) runtime.activate(prepared);
        }
        // a new policy is 201 with its place, as a POST's; a replaced one 200
        if (created) ctx.header("Location", "/policies/" + name);
        Json.send(ctx, created ? 201 : 200, p);
    }

    void delete(Context ctx) {
        String name = ctx.pathParam("name");
        synchronized (runtime.policyChanges()) {
            // whether it is stored, not whether it reads: a file that no longer reads is removed this way
            boolean stored;
            try {
                stored = runtime.policyStore().exists(name);
            } catch (IllegalArgumentException e) {
                stored = false;
            }
            if (!stored) throw ApiException.notFound("no policy named '" + name + "'");
            if (runtime.control().activeName().filter(name::equals).isPresent()) runtime.control().deactivate();
            runtime.policyStore().delete(name);
        }
        Json.send(ctx, 200, Map.of("removed", name));
    }

    void activate(Context ctx) {
        PolicyFile p;
        synchronized (runtime.policyChanges()) {
            p = stored(ctx.pathParam("name"));
            runtime.activate(p);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", p.name());
        m.put("policy", p.policy());
        m.put("controlInterval", runtime.control().activePolicy().map(x -> Durations.format(x.controlInterval())).orElse(null));
        Json.send(ctx, 200, m);
    }

    private PolicyFile stored(String name) {
        try {
            return runtime.policyStore().get(name).orElseThrow(() -> ApiException.notFound("no policy named '" + name + "'"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no policy named '" + name + "'");
        }
    }

    /** Reads a policy file (YAML or JSON); with {@code pathName}, a missing name is taken from the path and a different one refused. */
    private static PolicyFile parse(byte[] body, String pathName) {
        if (body.length == 0) throw ApiException.badRequest("empty body: expected a policy file (schema, name, policy, params)");
        JsonNode tree;
        try (com.fasterxml.jackson.core.JsonParser p = Yaml.yaml().createParser(body)) {
            // a key given twice is refused, as in a JSON body: YAML read "name: a ... name: b" as b, whichever a reader saw
            p.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            tree = Yaml.yaml().readTree(p);
            // a YAML stream of several documents reads as its first: the rest would be dropped without a word
            if (p.nextToken() != null)
                throw ApiException.badRequest("the body holds a second YAML document (from line " + p.currentTokenLocation().getLineNr()
                        + "): post one policy file per request");
        } catch (IOException e) {
            // where and what, as the CLI says it for files: "line 4, column 1: expected ..." (was only "while parsing a flow node")
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? Json.forClients(Yaml.syntaxError(jp)) : e.getMessage();
            throw ApiException.badRequest("malformed policy document: " + String.valueOf(msg).lines().findFirst().orElse(""));
        }
        if (tree == null || !tree.isObject()) throw ApiException.badRequest("expected a policy document: {schema, name, policy, params}");
        if (pathName != null) {
            JsonNode n = tree.get("name");
            if (n == null || n.isNull()) ((ObjectNode) tree).put("name", pathName);
            else if (!n.asText().equals(pathName)) throw new ConfigException("name", "the body says '" + n.asText() + "' but the path says '" + pathName + "'");
        }
        if (!tree.hasNonNull("policy")) throw new ConfigException("policy", "missing (a catalog id such as reactive.hpa)");
        return Json.bind(Yaml.yaml(), tree, PolicyFile.class);
    }
}
