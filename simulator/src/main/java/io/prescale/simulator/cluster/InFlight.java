package io.prescale.simulator.cluster;

import java.util.Arrays;

/**
 * What one replica is running, kept only where replicas can be lost ({@link ModelServer#enableLossTracking}: failures,
 * spot interruptions), so that a loss can take back what its requests booked at dispatch ({@link ModelServer#lose}).
 * Whole batches: the last batch dispatched, its requests in arrival order, and the completions it pushed on the server's
 * heap. Iteration-level batching: one request per slot (its completions are the request's own, rebuilt from it).
 */
final class InFlight {
    int n;                        // requests held (whole batches); slots (continuous: a slot holds one while done > 0)
    final double[] arrival, done;
    final float[] service;
    final float[] known;          // the known part of its service, -1 where the model had none then (no known entry pushed)
    final long[] scoreEpoch, reportEpoch; // the metrics' epochs it was booked in (ModelMetrics)
    // whole batches: the completions pushed for the batch (time, packed count, service, outcome)
    int e;
    double[] et = new double[4];
    int[] ek = new int[4];
    float[] es = new float[4];
    long[] eo = new long[4];

    InFlight(int slots) {
        arrival = new double[slots];
        done = new double[slots];
        Arrays.fill(done, Double.NEGATIVE_INFINITY);
        service = new float[slots];
        known = new float[slots];
        scoreEpoch = new long[slots];
        reportEpoch = new long[slots];
    }

    /** Puts request {@code j} (a batch's j-th, or slot j) in, booked in the given epochs. */
    void put(int j, double arrival, float service, float known, double done, long scoreEpoch, long reportEpoch) {
        this.arrival[j] = arrival;
        this.service[j] = service;
        this.known[j] = known;
        this.done[j] = done;
        this.scoreEpoch[j] = scoreEpoch;
        this.reportEpoch[j] = reportEpoch;
    }

    void entry(double time, int count, float service, long outcome) {
        if (e == et.length) {
            et = Arrays.copyOf(et, e * 2);
            ek = Arrays.copyOf(ek, e * 2);
            es = Arrays.copyOf(es, e * 2);
            eo = Arrays.copyOf(eo, e * 2);
        }
        et[e] = time;
        ek[e] = count;
        es[e] = service;
        eo[e] = outcome;
        e++;
    }
}
