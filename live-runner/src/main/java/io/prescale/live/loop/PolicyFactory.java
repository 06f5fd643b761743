package io.prescale.live.loop;

import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;

import java.util.Map;
import java.util.Set;

/** Builds policies by catalog id (the policies module's catalog in production; a small one in tests). */
public interface PolicyFactory {
    Set<String> ids();

    /** Throws ConfigException naming the field (e.g. {@code params.tolerance}) when params are invalid. */
    Policy create(String id, Map<String, Object> params, PolicyContext context);

    Map<String, Object> defaults(String id);

    /** Policies that need the future (a DemandOracle) and so cannot run live. */
    default boolean needsOracle(String id) {
        return id.equals("oracle") || id.equals("static.peak");
    }
}
