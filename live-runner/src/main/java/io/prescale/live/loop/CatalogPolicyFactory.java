package io.prescale.live.loop;

import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.PolicyCatalog;

import java.util.Map;
import java.util.Set;

/** The policies module's catalog: the same policy classes the simulator runs. */
public final class CatalogPolicyFactory implements PolicyFactory {
    @Override
    public Set<String> ids() {
        return PolicyCatalog.ids();
    }

    @Override
    public Policy create(String id, Map<String, Object> params, PolicyContext context) {
        return PolicyCatalog.create(id, params, context);
    }

    @Override
    public Map<String, Object> defaults(String id) {
        return PolicyCatalog.defaults(id);
    }

    @Override
    public boolean needsOracle(String id) {
        return ids().contains(id) && PolicyCatalog.needsOracle(id);
    }
}
