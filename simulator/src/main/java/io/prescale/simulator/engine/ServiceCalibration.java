package io.prescale.simulator.engine;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.cluster.ModelServer;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.workload.ArrivalSource;
import io.prescale.simulator.workload.Workload;

import java.util.ArrayList;
import java.util.List;

/**
 * The latency profile policies size with, calibrated to the trace: where requests carry their own work
 * (service times, or token counts priced by the profile's per-token terms), the profile is scaled so a
 * single request takes the mean request time — what {@code prescale profile} measures for a live
 * model. Without it a policy would size LLM replicas for a request with no tokens at all. The simulator
 * itself still serves every request with its own work; only what policies see changes.
 *
 * <p>A deployable policy sees only the work of requests known before each tick, as a live system measures
 * latency when requests complete ({@link #view}): the mean starts from the requests before the simulated start that
 * have ended by then (the catalog's profile for a model with none) and follows each request whose service has ended,
 * tick by tick, one from before the start that ends after it included ({@link #endsBy}).
 * A policy that knows the future by definition ({@code PolicyCatalog.needsOracle}: the oracle, the static peak)
 * sees the profile calibrated to every request of the trace, the scored window included
 * ({@link #forPolicies}). Per-interval traces carry no work per request: their profiles stay as the catalog's.
 */
final class ServiceCalibration {
    private ServiceCalibration() {}

    /** What {@code policyId} is told of each model's spec when replaying {@code w} from {@code start} on. */
    static SimulatedCluster.PolicyView view(Workload w, List<ModelSpec> specs, double start, boolean knowsTheFuture) {
        if (w.perInterval()) return SimulatedCluster.PolicyView.AS_BUILT;
        if (knowsTheFuture) {
            List<ModelSpec> all = forPolicies(w, specs);
            return (i, s) -> all.get(i);
        }
        return new Online(w, specs, start);
    }

    /**
     * Every model's spec with its profile calibrated to the whole trace: what only a policy that knows the future may
     * see. Each request counts at the time the simulator serves it with, {@link ArrivalSource#isolatedSeconds} (its
     * own service time, else its tokens priced by the profile, else the profile's single-request time), as in
     * {@link Online}: a request without a usable service time is served, so it is counted, never left out.
     */
    static List<ModelSpec> forPolicies(Workload w, List<ModelSpec> specs) {
        if (w.perInterval()) return specs;
        List<ModelSpec> out = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec s = specs.get(i);
            LatencyProfile p = s.latency();
            Workload.RequestSeries r = w.requests(i);
            double sum = 0;
            for (int k = 0; k < r.size(); k++) sum += ArrivalSource.isolatedSeconds(r, k, p);
            out.add(r.size() == 0 ? s : scaled(s, sum / r.size()));
        }
        return out;
    }

    /**
     * Seeds each model server's service estimate, which deadline admission and the preemption's deadline slack use
     * ({@link ModelServer#serviceEstimate}), with the requests before the simulated start: their count and their
     * service beyond the part known at arrival ({@link ArrivalSource#knownSeconds}). The same for every policy (it is
     * the cluster's, not the policy's): the oracle's servers know no more. Nothing for a per-interval trace, whose
     * requests all take the profile's single-request time.
     */
    static void seedEstimates(Workload w, List<ModelSpec> specs, double start, SimulatedCluster cluster) {
        if (w.perInterval()) return;
        for (int i = 0; i < specs.size(); i++) {
            Workload.RequestSeries r = w.requests(i);
            LatencyProfile p = specs.get(i).latency();
            double sum = 0;
            long n = 0;
            int late = 0;
            double[] ends = new double[8];
            float[] service = new float[8], known = new float[8];
            for (int k = 0; k < r.size() && r.time()[k] < start; k++) {
                float svc = ArrivalSource.isolatedSeconds(r, k, p), kn = ArrivalSource.knownSeconds(r, k, p);
                if (endsBy(r, k, svc, start)) {
                    sum += svc - (double) kn;
                    n++;
                    continue;
                }
                if (late == ends.length) {
                    ends = java.util.Arrays.copyOf(ends, 2 * late);
                    service = java.util.Arrays.copyOf(service, 2 * late);
                    known = java.util.Arrays.copyOf(known, 2 * late);
                }
                ends[late] = r.time()[k] + svc;
                service[late] = svc;
                known[late++] = kn;
            }
            cluster.server(i).setServicePrior(sum, n);
            cluster.server(i).setLatePriors(java.util.Arrays.copyOf(ends, late), java.util.Arrays.copyOf(service, late),
                    java.util.Arrays.copyOf(known, late));
        }
    }

    /**
     * Whether request {@code k} of the history, of isolated service {@code service}, has ended by the simulated start
     * (taken as run alone from its arrival): only then is its service known at the start. One that ends after it counts
     * once it has ended ({@link ModelServer#setLatePriors}, which {@link #seedEstimates} gives it), in the server's
     * estimate and in what a deployable policy is told alike.
     */
    static boolean endsBy(Workload.RequestSeries r, int k, float service, double start) {
        return r.time()[k] + service <= start;
    }

    /** {@code s} with its profile scaled so a single plain request takes {@code meanSeconds}. */
    static ModelSpec scaled(ModelSpec s, double meanSeconds) {
        LatencyProfile p = s.latency();
        double f = meanSeconds / p.batchSeconds(1);
        // the per-token terms stay (batch times use only base and per-item) so that policies can tell a model
        // that decodes token by token, which is batched per iteration (ReplicaSizer)
        return s.withPool(s.pool(), new LatencyProfile(p.baseSeconds() * f, p.perItemSeconds() * f,
                p.perInputTokenSeconds(), p.perOutputTokenSeconds()));
    }

    /**
     * A deployable policy's view: the mean isolated service time of the requests before the simulated start that ended
     * by it and of those whose service has ended since, by the tick (those before the start as the server counts them:
     * {@link #seedEstimates} must have been given the same start) (each as the simulator serves it: its own service time,
     * its tokens priced by the catalog's profile, or the profile's single-request time where the trace has neither).
     * A model with none yet keeps the catalog's profile. O(1) per model per tick; a spec is rebuilt only when
     * requests completed since the last tick.
     */
    static final class Online implements SimulatedCluster.PolicyView {
        private final double[] priorSeconds;
        private final long[] priorRequests;
        private final long[] seenRequests;
        private final ModelSpec[] seen;

        Online(Workload w, List<ModelSpec> specs, double start) {
            int m = specs.size();
            priorSeconds = new double[m];
            priorRequests = new long[m];
            seenRequests = new long[m];
            seen = new ModelSpec[m];
            for (int i = 0; i < m; i++) {
                Workload.RequestSeries r = w.requests(i);
                LatencyProfile p = specs.get(i).latency();
                double sum = 0;
                int k = 0;
                long n = 0;
                for (; k < r.size() && r.time()[k] < start; k++) {
                    float svc = ArrivalSource.isolatedSeconds(r, k, p);
                    if (!endsBy(r, k, svc, start)) continue; // counted by the server once it has ended (seedEstimates)
                    sum += svc;
                    n++;
                }
                priorSeconds[i] = sum;
                priorRequests[i] = n;
            }
        }

        @Override
        public ModelSpec spec(int i, ModelServer s) {
            long n = priorRequests[i] + s.completedRequests();
            if (seen[i] == null || n != seenRequests[i]) {
                seen[i] = n == 0 ? s.spec : scaled(s.spec, (priorSeconds[i] + s.completedServiceSeconds()) / n);
                seenRequests[i] = n;
            }
            return seen[i];
        }
    }
}
