package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.workload.Workload;

import java.util.ArrayList;
import java.util.List;

/**
 * The latency profile policies size with, calibrated to the trace: where requests carry their own work
 * (service times, or token counts priced by the profile's per-token terms), the profile is scaled so a
 * single request takes the trace's mean request time — what {@code prescale profile} measures for a live
 * model. Without it a policy would size LLM replicas for a request with no tokens at all. The simulator
 * itself still serves every request with its own work; only what policies see changes.
 */
final class ServiceCalibration {
    private ServiceCalibration() {}

    static List<ModelSpec> forPolicies(Workload w, List<ModelSpec> specs) {
        if (w.perInterval()) return specs;
        List<ModelSpec> out = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec s = specs.get(i);
            LatencyProfile p = s.latency();
            Workload.RequestSeries r = w.requests(i);
            double sum = 0;
            long n = 0;
            for (int k = 0; k < r.size(); k++) {
                float svc = r.serviceSeconds()[k];
                if (!Float.isNaN(svc) && svc > 0) sum += svc;
                else if (r.inputTokens()[k] >= 0 && r.outputTokens()[k] >= 0) sum += p.requestSeconds(r.inputTokens()[k], r.outputTokens()[k]);
                else continue;
                n++;
            }
            if (n == 0) {
                out.add(s);
                continue;
            }
            double f = (sum / n) / p.batchSeconds(1);
            // the per-token terms stay (batch times use only base and per-item) so that policies can tell a model
            // that decodes token by token, which is batched per iteration (ReplicaSizer)
            out.add(s.withPool(s.pool(), new LatencyProfile(p.baseSeconds() * f, p.perItemSeconds() * f,
                    p.perInputTokenSeconds(), p.perOutputTokenSeconds())));
        }
        return out;
    }
}
