package io.prescale.live;

import io.prescale.core.config.ConfigException;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.live.loop.PolicyFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real policy catalog plus "test.fixed": every tick, scale every model to {@code replicas}; and "test.remembering",
 * which does nothing but keep a count of ticks per model (state a policy holds per model name, until told to forget it).
 */
final class TestPolicies implements PolicyFactory {
    private final CatalogPolicyFactory catalog = new CatalogPolicyFactory();

    @Override
    public Set<String> ids() {
        Set<String> ids = new LinkedHashSet<>(catalog.ids());
        ids.add("test.fixed");
        ids.add("test.remembering");
        return ids;
    }

    @Override
    public Policy create(String id, Map<String, Object> params, PolicyContext context) {
        if (id.equals("test.remembering")) return new Remembering();
        if (!id.equals("test.fixed")) return catalog.create(id, params, context);
        for (String k : params.keySet()) if (!k.equals("replicas")) throw new ConfigException("params." + k, "unknown parameter (known: replicas)");
        Object r = params.getOrDefault("replicas", 1);
        if (!(r instanceof Number n) || n.intValue() < 0) throw new ConfigException("params.replicas", "must be an integer >= 0");
        int replicas = n.intValue();
        return new Policy() {
            @Override public String id() { return "test.fixed"; }
            @Override public List<Decision> decide(Observation o) {
                return o.models().stream().map(m -> (Decision) new Decision.ScaleModel(m.model(), replicas)).toList();
            }
            @Override public Duration controlInterval() { return Duration.ofSeconds(10); }
        };
    }

    @Override
    public Map<String, Object> defaults(String id) {
        if (id.equals("test.remembering")) return Map.of();
        return id.equals("test.fixed") ? Map.of("replicas", 1) : catalog.defaults(id);
    }

    @Override
    public boolean needsOracle(String id) {
        return !id.startsWith("test.") && catalog.needsOracle(id);
    }

    /** Ticks seen per model: state kept per model name, as the catalog's per-model policies keep theirs. */
    static final class Remembering implements Policy {
        final Map<String, Integer> ticks = new java.util.concurrent.ConcurrentHashMap<>();

        @Override public String id() { return "test.remembering"; }
        @Override public List<Decision> decide(Observation o) {
            o.models().forEach(m -> ticks.merge(m.model(), 1, Integer::sum));
            return List.of();
        }
        @Override public Duration controlInterval() { return Duration.ofSeconds(10); }
        @Override public void forget(String model) { ticks.remove(model); }
    }
}
