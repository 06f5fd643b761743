package io.prescale.simulator.workload;

import io.prescale.core.model.LatencyProfile;
import io.prescale.simulator.cluster.ModelServer;

import java.util.SplittableRandom;

/**
 * Streams one model's arrivals into its server in time order, generating them on the fly: no heap entry
 * and no object per request. Request traces replay each request (thinned or multiplied by the rate scale);
 * interval traces draw a renewal process inside each window (Poisson, or Gamma/Weibull inter-arrivals with
 * the window's fitted shape), thinned by a rate scale below 1 ({@link RenewalGaps}). The random stream depends only on the seed and the
 * model, so every policy sees exactly the same arrivals.
 */
public abstract class ArrivalSource {
    protected final ModelServer server;
    protected final double from;
    protected final double to;
    protected final SplittableRandom random;
    protected final double rateScale;

    protected ArrivalSource(ModelServer server, double from, double to, long seed, double rateScale) {
        this.server = server;
        this.from = from;
        this.to = to;
        this.random = new SplittableRandom(seed);
        this.rateScale = rateScale;
    }

    /**
     * Feeds every arrival in [previous position, until) to the server, and returns {@code until}; or stops before an
     * arrival the server holds for a replica start ({@link ModelServer#holds}) and returns its time: the next call
     * feeds it first.
     */
    public abstract double advanceTo(double until);

    public static ArrivalSource of(Workload w, int model, ModelServer server, LatencyProfile profile,
                                   double from, double to, long seed, double rateScale) {
        long s = seed * 0x9E3779B97F4A7C15L + model * 0xBF58476D1CE4E5B9L + 1;
        return w.perInterval()
                ? new Intervals(w.intervals(model), server, from, to, s, rateScale)
                : new Requests(w.requests(model), server, profile, from, to, s, rateScale);
    }

    /**
     * Replays recorded requests; the service time is the trace's, or from tokens, or the profile's. A scale below 1
     * keeps each request with that probability. Above 1 a request becomes that many arrivals (the fraction drawn)
     * spread evenly over the gap to the model's next later request, the trace's gaps divided by the scale as interval
     * traces speed their process up: copies at the request's own instant turned every request into a burst of
     * simultaneous ones, which no sizing for the rate serves within its SLO. Requests recorded at one instant (a
     * trace at whole seconds with several a second) are copied as a group: the group arrives as recorded, then its
     * copies, a group at a time, over the gap (the ones of requests drawn fewer copies left out of the last rounds).
     * Spread one by one, all but the last had no gap (the next was at the same instant), so their copies piled onto
     * the instant: a burst the scale multiplied, where more users would have sent more bursts of the same size.
     */
    static final class Requests extends ArrivalSource {
        private final Workload.RequestSeries r;
        private final float[] service;
        private final float[] known; // the part of each service known at arrival (knownSeconds); null when none has one
        private int next;
        // scale above 1: the group of requests recorded at one instant being copied, [groupFrom, next)
        private int groupFrom;
        private int[] copies = new int[4]; // copies of each request of the group
        private int rounds;         // the most copies any of them has: round k arrives at copyFrom + k x copyGap
        private int round;          // the round arriving now, and the member of the group next in it
        private int member;
        private double copyFrom;
        private double copyGap;
        private double copyUntil;   // the next later request's time
        private int drawn = -1;     // scale at most 1: whether request next is kept (1) or thinned (0); -1 not drawn yet

        Requests(Workload.RequestSeries r, ModelServer server, LatencyProfile profile, double from, double to, long seed, double rateScale) {
            super(server, from, to, seed, rateScale);
            this.r = r;
            this.service = new float[r.size()];
            for (int i = 0; i < r.size(); i++) service[i] = isolatedSeconds(r, i, profile);
            float[] k = null;
            if (profile.perInputTokenSeconds() > 0) {
                k = new float[r.size()];
                for (int i = 0; i < r.size(); i++) k[i] = knownSeconds(r, i, profile);
            }
            this.known = k;
            double[] t = r.time();
            int lo = java.util.Arrays.binarySearch(t, from);
            if (lo < 0) lo = -lo - 1;
            while (lo > 0 && t[lo - 1] >= from) lo--;
            // spread copies of the group before the window reach into it (those before it are dropped)
            if (rateScale > 1 && lo > 0) {
                lo--;
                while (lo > 0 && t[lo - 1] == t[lo]) lo--;
            }
            this.next = lo;
            this.groupFrom = lo;
        }

        @Override
        public double advanceTo(double until) {
            double limit = Math.min(until, to);
            double[] t = r.time();
            while (true) {
                if (round < rounds) {
                    // each round at its own multiple of the gap: summed step by step, rounding carried the last copies of
                    // a fine gap past the next request, which then arrived before them
                    double at = Math.min(copyFrom + round * copyGap, copyUntil);
                    if (!(at < limit)) return until;
                    int i = groupFrom + member;
                    if (copies[member] > round && at >= from) {
                        if (server.holds(at)) return at;
                        server.arrive(at, service[i], known == null ? 0f : known[i]);
                    }
                    if (++member == next - groupFrom) {
                        member = 0;
                        round++;
                    }
                    continue;
                }
                if (!(next < t.length && t[next] < limit)) return until;
                if (rateScale > 1) {
                    groupFrom = next;
                    rounds = 0;
                    do {
                        int m = next - groupFrom;
                        if (m == copies.length) copies = java.util.Arrays.copyOf(copies, 2 * m);
                        copies[m] = copies();
                        rounds = Math.max(rounds, copies[m]);
                        next++;
                    } while (next < t.length && t[next] == t[groupFrom]);
                    round = 0;
                    member = 0;
                    copyFrom = t[groupFrom];
                    copyUntil = next < t.length ? t[next] : copyFrom;
                    copyGap = rounds > 0 ? (copyUntil - copyFrom) / rounds : 0;
                } else {
                    if (drawn < 0) drawn = copies(); // kept while the request is held: resuming draws no second time
                    if (drawn > 0) {
                        if (server.holds(t[next])) return t[next];
                        server.arrive(t[next], service[next], known == null ? 0f : known[next]);
                    }
                    drawn = -1;
                    next++;
                }
            }
        }

        /** How many arrivals one recorded request becomes under the rate scale (thinning or replication). */
        private int copies() {
            if (rateScale == 1.0) return 1;
            int whole = (int) rateScale;
            return whole + (random.nextDouble() < rateScale - whole ? 1 : 0);
        }
    }

    /**
     * The isolated service time request {@code k} of {@code r} is served with: the trace's, or its tokens priced by
     * {@code profile}, or the profile's single-request time where the trace has neither (or records 0 s: a failed
     * request still occupies the replica). The one rule for a request without a usable service time: it falls back,
     * it is never skipped; the calibration of the profile policies size with counts every request at this time too
     * (ServiceCalibration, the whole trace's and the one known at each tick alike).
     */
    public static float isolatedSeconds(Workload.RequestSeries r, int k, LatencyProfile profile) {
        float svc = r.serviceSeconds()[k];
        float out;
        if (!Float.isNaN(svc) && svc > 0) out = svc;
        else if (r.inputTokens()[k] >= 0 && r.outputTokens()[k] >= 0)
            out = (float) profile.requestSeconds(r.inputTokens()[k], r.outputTokens()[k]);
        else out = (float) profile.batchSeconds(1);
        // a recorded 0 s execution (failed request) still occupies the replica for its overhead
        if (out <= 0) out = (float) profile.batchSeconds(1);
        return out;
    }

    /**
     * The part of request {@code k}'s isolated service ({@link #isolatedSeconds}) known when it arrives: where that
     * service is priced from its tokens, its input tokens priced by {@code profile} (a prompt is in the request, its
     * output length is known only once it is generated); 0 where the trace records a service time (how long a request
     * ran is known only when it ends) or has no token counts.
     */
    public static float knownSeconds(Workload.RequestSeries r, int k, LatencyProfile profile) {
        float svc = r.serviceSeconds()[k];
        if (!Float.isNaN(svc) && svc > 0) return 0f;
        int in = r.inputTokens()[k];
        if (in < 0 || r.outputTokens()[k] < 0 || isolatedSeconds(r, k, profile) <= 0) return 0f;
        return Math.min((float) (profile.perInputTokenSeconds() * in), isolatedSeconds(r, k, profile));
    }

    /** Draws arrivals inside each window of a per-interval trace. */
    static final class Intervals extends ArrivalSource {
        private final Workload.IntervalSeries w;
        private int window = -1;
        private double windowEnd;
        private double rate;       // arrivals per second in this window, scaled
        private RenewalGaps gaps;
        private double nextAt;
        private final float service;

        Intervals(Workload.IntervalSeries w, ModelServer server, double from, double to, long seed, double rateScale) {
            super(server, from, to, seed, rateScale);
            this.w = w;
            this.service = (float) server.nominalService();
            int lo = 0;
            while (lo < w.size() && w.start()[lo] + w.length()[lo] <= from) lo++;
            openWindow(lo);
        }

        private void openWindow(int i) {
            window = i;
            if (i >= w.size()) {
                nextAt = Double.POSITIVE_INFINITY;
                return;
            }
            double start = Math.max(w.start()[i], from);
            windowEnd = w.start()[i] + w.length()[i];
            rate = w.gap()[i] ? 0 : w.rate()[i] * rateScale;
            if (rate > 0) {
                // below 1 the scale thins the window's process; above 1 it speeds it up, shape kept
                gaps = new RenewalGaps(w.shape()[i], w.rate()[i] * Math.max(1, rateScale), Math.min(1, rateScale));
                nextAt = start + gaps.next(random);
            } else {
                nextAt = windowEnd;
            }
        }

        @Override
        public double advanceTo(double until) {
            double limit = Math.min(until, to);
            final ModelServer s = server;
            while (window < w.size()) {
                double stop = Math.min(limit, windowEnd);
                if (rate > 0) {
                    double t = nextAt;
                    while (t < stop) {
                        if (s.holds(t)) {
                            nextAt = t;
                            return t;
                        }
                        s.arrive(t, service);
                        t += gaps.next(random);
                    }
                    nextAt = t;
                }
                if (windowEnd > limit) return until;
                openWindow(window + 1);
            }
            return until;
        }
    }
}
