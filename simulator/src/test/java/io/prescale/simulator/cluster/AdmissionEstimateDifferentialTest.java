package io.prescale.simulator.cluster;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.simulator.TestSpecs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batched admission estimate (a heap of the replicas' estimated free times, and no walk over a batch while no
 * queued request has a known part) against what it shortens: on random queues, replica free times, slowdowns, service
 * mixes and known parts, (1) a straightforward walk over every queued request with a scan of every replica per batch,
 * on the same estimates, and (2) the server itself, which drains the queue and the request and must finish the request
 * when the estimate said where every request takes what it is estimated to take.
 */
class AdmissionEstimateDifferentialTest {
    static final int SCENARIOS = 4000;

    /** A server with a queue left by random arrivals (some dispatched, some dropped when full), and what is queued. */
    private record Scenario(ModelServer server, ModelSpec spec, List<double[]> queued, double now, float maxService, String text) {}

    /**
     * Services mixed, some with known parts, every replica of one slowdown: batches running past their estimated ends
     * are all estimated to end now, so they tie, and which of tied replicas of different slowdowns an estimate takes is
     * the heap's choice, not a plain scan's (where estimates are exact, {@link #theRequestFinishesWhenTheEstimateSaidOnceTheQueueIsServed}
     * checks it is the server's).
     */
    private static Scenario mixedScenario(SplittableRandom rnd) {
        return scenario(rnd, false, false);
    }

    /**
     * {@code asEstimated}: every request takes exactly what it is estimated to take (the profile's single-request time,
     * with no known part), so the estimate is exact; else services are mixed, some with known parts.
     */
    private static Scenario scenario(SplittableRandom rnd, boolean tiesWithDifferentSlowdowns, boolean asEstimated) {
        int maxBatch = 1 + rnd.nextInt(6);
        double maxDelay = new double[]{0, 0.05, 0.3}[rnd.nextInt(3)];
        int capacity = maxBatch + rnd.nextInt(30);
        LatencyProfile profile = LatencyProfile.linear(0.2 + rnd.nextDouble(), rnd.nextDouble());
        ModelSpec spec = TestSpecs.model("m", "gpu", profile, maxBatch, maxDelay, capacity, 1e9, 1e9); // nothing times out
        ModelServer s = new ModelServer(0, spec, profile);
        int replicas = 1 + rnd.nextInt(9);
        boolean ties = tiesWithDifferentSlowdowns || rnd.nextBoolean(); // free times from a few values, so many tie
        double sameSlowdown = 1 + rnd.nextInt(3) * 0.25;
        for (int k = 0; k < replicas; k++) {
            double free = ties ? rnd.nextInt(4) : 4 * rnd.nextDouble();
            Replica r = new Replica(0, null, 1.0, 0, free);
            // a scan picks the first of tied replicas, the heap another: they agree only where tied ones are alike
            r.slowdown = !asEstimated || (ties && !tiesWithDifferentSlowdowns) ? sameSlowdown : 1 + rnd.nextInt(3) * 0.25 + rnd.nextDouble() * 0.01;
            s.add(r);
        }
        // services: all the same; one different that has left the queue since; a few values; a few values with known
        // parts (input tokens priced) of a few sizes
        int mix = asEstimated ? 0 : rnd.nextInt(4);
        float uniform = asEstimated ? (float) profile.batchSeconds(1) : 0.1f + rnd.nextInt(20) * 0.1f;
        float[] few = {0.3f, 0.7f, 1.5f, 2.2f};
        float[] knownParts = {0f, 0.1f, 0.25f, 1.0f};
        int n = rnd.nextInt(80);
        List<double[]> kept = new ArrayList<>(); // [arrival, service, known part] of every request the queue took, in order
        double t = 0;
        float maxService = uniform;
        for (int q = 0; q < n; q++) {
            t += rnd.nextDouble() < 0.2 ? 0 : rnd.nextDouble() * 0.3;
            float known = mix == 3 ? knownParts[rnd.nextInt(knownParts.length)] : 0f;
            float svc = switch (mix) {
                case 1 -> q == 0 ? 3.1f : uniform;
                case 2 -> few[rnd.nextInt(few.length)];
                case 3 -> known + few[rnd.nextInt(few.length)];
                default -> uniform;
            };
            maxService = Math.max(maxService, svc);
            long dropped = s.metrics.dropped;
            s.arrive(t, svc, known);
            if (s.metrics.dropped == dropped) kept.add(new double[]{t, svc, known});
        }
        double now = t + (rnd.nextBoolean() ? 0 : rnd.nextDouble() * 0.5);
        s.drain(now); // as an arrival at now would first
        List<double[]> queued = new ArrayList<>(kept.subList(kept.size() - s.queued(), kept.size())); // FIFO, none timed out
        String text = "maxBatch " + maxBatch + ", maxDelay " + maxDelay + ", capacity " + capacity + ", " + replicas + " replicas, "
                + n + " arrivals, " + queued.size() + " queued, mix " + mix + ", now " + now;
        return new Scenario(s, spec, queued, now, maxService, text);
    }

    /**
     * The estimate written out plainly: every queued request visited, every replica scanned for the earliest; each
     * request estimated at the server's {@link ModelServer#serviceEstimate} plus its known part, a running batch by its
     * start and estimate (a replica free by now, or loading, at its free time).
     */
    private static double reference(Scenario sc, float known, double giveUpAfter) {
        ModelSpec spec = sc.spec();
        int maxBatch = spec.maxBatch();
        double maxDelay = spec.maxQueueDelay().toNanos() / 1e9;
        double t = sc.now();
        double u = sc.server().serviceEstimate();
        List<Replica> reps = sc.server().replicas();
        double[] free = new double[reps.size()];
        for (int j = 0; j < free.length; j++) {
            Replica r = reps.get(j);
            free[j] = r.freeAt <= t || r.estB == 0 ? r.freeAt : Math.max(t, r.estA + r.estB * u);
        }
        double service = known + u;
        int left = sc.queued().size(), i = 0;
        while (true) {
            int j = 0;
            for (int k = 1; k < free.length; k++) if (free[k] < free[j]) j = k;
            boolean own = left < maxBatch;
            int size = own ? left + 1 : maxBatch;
            double longest = own ? service : 0, lastArrival = t;
            double head = left > 0 ? sc.queued().get(i)[0] : t;
            for (int k = 0; k < size - (own ? 1 : 0); k++, i++) {
                longest = Math.max(longest, sc.queued().get(i)[2] + u);
                if (!own) lastArrival = sc.queued().get(i)[0];
            }
            double d = Math.max(t, Math.max(free[j], size == maxBatch ? lastArrival : head + maxDelay));
            double factor = spec.latency().batchStretch(size) * reps.get(j).slowdown;
            if (own) return d + factor * service;
            if (d > giveUpAfter) return d;
            free[j] = d + factor * longest;
            left -= maxBatch;
        }
    }

    @Test
    void theEstimateEqualsAPlainWalkOverEveryRequestAndReplica() {
        SplittableRandom rnd = new SplittableRandom(20261128);
        for (int n = 0; n < SCENARIOS; n++) {
            Scenario sc = mixedScenario(rnd);
            float known = rnd.nextBoolean() ? 0f : rnd.nextInt(30) * 0.1f;
            double giveUp = rnd.nextBoolean() ? Double.POSITIVE_INFINITY : sc.now() + rnd.nextDouble() * 10;
            assertThat(sc.server().estimatedFinish(sc.now(), known, giveUp))
                    .as("scenario %d: %s; known part %s, give up after %s", n, sc.text(), known, giveUp)
                    .isEqualTo(reference(sc, known, giveUp));
        }
    }

    @Test
    void theRequestFinishesWhenTheEstimateSaidOnceTheQueueIsServed() {
        // with nothing timing out, nothing arriving after it, and every request taking what it is estimated to take
        // (the profile's single-request time, which is then also the mean of every request measured), the estimate is
        // exact: the server, serving the queue and then the request, ends the request's batch at the estimate. Ties
        // between replicas of different slowdowns included: the estimate must pick among them as the server's heap does
        SplittableRandom rnd = new SplittableRandom(5);
        int checked = 0;
        for (int n = 0; n < SCENARIOS; n++) {
            Scenario sc = scenario(rnd, rnd.nextBoolean(), true);
            if (sc.server().queued() == sc.spec().queueCapacity()) continue; // the request would be dropped, not estimated
            checked++;
            float service = sc.maxService();
            assertThat(sc.server().serviceEstimate()).isEqualTo((double) service);
            double estimate = sc.server().estimatedFinish(sc.now(), 0f, Double.POSITIVE_INFINITY);
            sc.server().arrive(sc.now(), service);
            sc.server().drain(Double.POSITIVE_INFINITY);
            assertThat(sc.server().queued()).isZero();
            assertThat(sc.server().replicas()).as("scenario %d: %s; service %s: a replica freed at the estimate %s", n, sc.text(), service, estimate)
                    .anyMatch(r -> r.freeAt == estimate);
        }
        assertThat(checked).isGreaterThan(SCENARIOS / 2);
    }
}
