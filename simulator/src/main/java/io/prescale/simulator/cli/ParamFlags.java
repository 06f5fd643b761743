package io.prescale.simulator.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.core.config.Yaml;
import io.prescale.policies.PolicyCatalog;

import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -p POLICY.KEY=VALUE} flags: grouped by policy as the params maps the catalog binds, and checked against
 * each policy's params with errors in the flag's own words ("reactive.hpa.targetUtilization: 'abc' is not a number").
 */
final class ParamFlags {
    private ParamFlags() {}

    /** Overrides by policy id, nested as {@link ParamBinder#bind} takes them; {@code ids} are the policies run. */
    static Map<String, Map<String, Object>> parse(List<String> flags, List<String> ids) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String p : flags) {
            int eq = p.indexOf('=');
            int dot = eq < 0 ? -1 : p.lastIndexOf('.', eq);
            if (eq < 0 || dot < 0) throw new ConfigException("--param " + p, "want POLICY.KEY=VALUE");
            // the longest policy id the name starts with (ids have dots); what follows is the key, dotted when nested
            String policy = ids.stream().filter(id -> p.startsWith(id + ".") && id.length() + 1 < eq)
                    .max(Comparator.comparingInt(String::length)).orElse(null);
            if (policy == null) throw notRun(p, eq, dot, ids);
            String key = p.substring(policy.length() + 1, eq).trim(), value = p.substring(eq + 1).trim();
            Object v = value;
            try {
                v = Yaml.yaml().readValue(value, Object.class);
            } catch (IOException e) {
                // keep the text
            }
            Object before = out.computeIfAbsent(policy, k -> new LinkedHashMap<>()).put(key, v);
            // the last one silently won: a user who meant to compare the two values ran only one of them
            if (before != null)
                throw new ConfigException("--param " + p, policy + "." + key + " is already set (to " + before + "): simulate runs one value "
                        + "of a parameter; to compare several, list them in a sweep experiment (params: {" + key + ": [" + before + ", " + v + "]})");
        }
        out.replaceAll((policy, dotted) -> ParamBinder.nest(dotted));
        return out;
    }

    /**
     * Why -p names no policy that runs: a policy the catalog has but --policies leaves out (the ids that run listed), or
     * a typo of one ("policy 'reactive.hpaa' is not in --policies" said the same when no --policies was given at all).
     */
    private static ConfigException notRun(String p, int eq, int dot, List<String> ids) {
        String known = PolicyCatalog.ids().stream().filter(id -> p.startsWith(id + ".") && id.length() + 1 < eq)
                .max(Comparator.comparingInt(String::length)).orElse(null);
        if (known != null) return new ConfigException("--param " + p, "policy '" + known + "' is not in --policies " + ids);
        try {
            PolicyCatalog.entry(p.substring(0, dot));
        } catch (ConfigException e) {
            return new ConfigException("--param " + p, e.reason());
        }
        return new ConfigException("--param " + p, "policy '" + p.substring(0, dot) + "' is not in --policies " + ids);
    }

    /**
     * Checks {@code overrides} against policy {@code id}'s params: errors are named as the flag names the parameter
     * ({@code reactive.hpa.tolerance}, not {@code params.tolerance}), and an unknown one names the policy.
     */
    static void check(String id, Map<String, Object> overrides) {
        try {
            PolicyCatalog.defaultsMerged(id, overrides);
        } catch (ConfigException e) {
            String path = e.path(), reason = e.reason();
            if (!path.equals("params") && !path.startsWith("params.")) throw e;
            if (reason.startsWith("unknown parameter")) reason = "unknown parameter of " + id + reason.substring("unknown parameter".length());
            throw new ConfigException(id + path.substring("params".length()), reason);
        }
    }
}
