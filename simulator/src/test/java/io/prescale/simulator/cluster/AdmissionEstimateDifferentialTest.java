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
 * The batched admission estimate (a heap of the replicas' free times, and no walk over a batch while every queued
 * service is the same) against what it shortens: on random queues, replica free times, slowdowns and service mixes,
 * (1) a straightforward walk over every queued request with a scan of every replica per batch, and (2) the server
 * itself, which drains the queue and the request and must finish the request when the estimate said.
 */
class AdmissionEstimateDifferentialTest {
    static final int SCENARIOS = 4000;

    /** A server with a queue left by random arrivals (some dispatched, some dropped when full), and what is queued. */
    private record Scenario(ModelServer server, ModelSpec spec, List<double[]> queued, double now, float maxService, String text) {}

    private static Scenario scenario(SplittableRandom rnd, boolean tiesWithDifferentSlowdowns) {
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
            r.slowdown = ties && !tiesWithDifferentSlowdowns ? sameSlowdown : 1 + rnd.nextInt(3) * 0.25 + rnd.nextDouble() * 0.01;
            s.add(r);
        }
        // services: all the same; one different that has left the queue since; a few values; a different own service
        int mix = rnd.nextInt(4);
        float uniform = 0.1f + rnd.nextInt(20) * 0.1f;
        float[] few = {0.3f, 0.7f, 1.5f, 2.2f};
        int n = rnd.nextInt(80);
        List<double[]> kept = new ArrayList<>(); // [arrival, service] of every request the queue took, in order
        double t = 0;
        float maxService = uniform;
        for (int q = 0; q < n; q++) {
            t += rnd.nextDouble() < 0.2 ? 0 : rnd.nextDouble() * 0.3;
            float svc = switch (mix) {
                case 1 -> q == 0 ? 3.1f : uniform;
                case 2 -> few[rnd.nextInt(few.length)];
                default -> uniform;
            };
            maxService = Math.max(maxService, svc);
            long dropped = s.metrics.dropped;
            s.arrive(t, svc);
            if (s.metrics.dropped == dropped) kept.add(new double[]{t, svc});
        }
        double now = t + (rnd.nextBoolean() ? 0 : rnd.nextDouble() * 0.5);
        s.drain(now); // as an arrival at now would first
        List<double[]> queued = new ArrayList<>(kept.subList(kept.size() - s.queued(), kept.size())); // FIFO, none timed out
        String text = "maxBatch " + maxBatch + ", maxDelay " + maxDelay + ", capacity " + capacity + ", " + replicas + " replicas, "
                + n + " arrivals, " + queued.size() + " queued, mix " + mix + ", now " + now;
        return new Scenario(s, spec, queued, now, maxService, text);
    }

    /** The estimate written out plainly: every queued request visited, every replica scanned for the earliest. */
    private static double reference(Scenario sc, float service, double giveUpAfter) {
        ModelSpec spec = sc.spec();
        int maxBatch = spec.maxBatch();
        double maxDelay = spec.maxQueueDelay().toNanos() / 1e9;
        List<Replica> reps = sc.server().replicas();
        double[] free = new double[reps.size()];
        for (int j = 0; j < free.length; j++) free[j] = reps.get(j).freeAt;
        double t = sc.now();
        int left = sc.queued().size(), i = 0;
        while (true) {
            int j = 0;
            for (int k = 1; k < free.length; k++) if (free[k] < free[j]) j = k;
            boolean own = left < maxBatch;
            int size = own ? left + 1 : maxBatch;
            double longest = own ? service : 0, lastArrival = t;
            double head = left > 0 ? sc.queued().get(i)[0] : t;
            for (int k = 0; k < size - (own ? 1 : 0); k++, i++) {
                longest = Math.max(longest, sc.queued().get(i)[1]);
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
            Scenario sc = scenario(rnd, false);
            float service = rnd.nextBoolean() ? (float) sc.queued().stream().mapToDouble(q -> q[1]).findFirst().orElse(1.0) : 0.1f + rnd.nextInt(30) * 0.1f;
            double giveUp = rnd.nextBoolean() ? Double.POSITIVE_INFINITY : sc.now() + rnd.nextDouble() * 10;
            assertThat(sc.server().estimatedFinish(sc.now(), service, giveUp))
                    .as("scenario %d: %s; service %s, give up after %s", n, sc.text(), service, giveUp)
                    .isEqualTo(reference(sc, service, giveUp));
        }
    }

    @Test
    void theRequestFinishesWhenTheEstimateSaidOnceTheQueueIsServed() {
        // with nothing timing out and nothing arriving after it, the estimate is exact: the server, serving the queue
        // and then the request, ends the request's batch at the estimate. The request is the longest of its batch, so
        // that batch ends on its replica when the request does. Ties between replicas of different slowdowns included:
        // the estimate must pick among them as the server's heap does
        SplittableRandom rnd = new SplittableRandom(5);
        int checked = 0;
        for (int n = 0; n < SCENARIOS; n++) {
            Scenario sc = scenario(rnd, rnd.nextBoolean());
            if (sc.server().queued() == sc.spec().queueCapacity()) continue; // the request would be dropped, not estimated
            checked++;
            float service = sc.maxService() + (rnd.nextBoolean() ? 0 : rnd.nextInt(10) * 0.1f);
            double estimate = sc.server().estimatedFinish(sc.now(), service, Double.POSITIVE_INFINITY);
            sc.server().arrive(sc.now(), service);
            sc.server().drain(Double.POSITIVE_INFINITY);
            assertThat(sc.server().queued()).isZero();
            assertThat(sc.server().replicas()).as("scenario %d: %s; service %s: a replica freed at the estimate %s", n, sc.text(), service, estimate)
                    .anyMatch(r -> r.freeAt == estimate);
        }
        assertThat(checked).isGreaterThan(SCENARIOS / 2);
    }
}
