package io.prescale.simulator.cluster;

import java.util.Arrays;

/**
 * Pending batch completions of one model (time, requests, the isolated service seconds of each of those requests: one
 * value, the same for all of them, and an outcome: a second long the caller packs, 0 for none), a primitive binary
 * min-heap on time. The count and the service (as a float) share one long, so a sift moves three values, not four.
 */
final class CompletionHeap {
    private double[] t = new double[16];
    private long[] k = new long[16];
    private long[] o = new long[16];
    private int n;

    int size() { return n; }
    double minTime() { return t[0]; }
    int minCount() { return (int) k[0]; }
    float minService() { return Float.intBitsToFloat((int) (k[0] >>> 32)); }
    long minOutcome() { return o[0]; }

    void push(double time, int count) {
        push(time, count, 0f, 0L);
    }

    void push(double time, int count, float service) {
        push(time, count, service, 0L);
    }

    void push(double time, int count, float service, long outcome) {
        long packed = ((long) Float.floatToRawIntBits(service) << 32) | (count & 0xFFFFFFFFL);
        if (n == t.length) {
            t = Arrays.copyOf(t, n * 2);
            k = Arrays.copyOf(k, n * 2);
            o = Arrays.copyOf(o, n * 2);
        }
        int i = n++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (t[p] <= time) break;
            t[i] = t[p];
            k[i] = k[p];
            o[i] = o[p];
            i = p;
        }
        t[i] = time;
        k[i] = packed;
        o[i] = outcome;
    }

    /**
     * Removes one entry equal to (time, count, service, outcome), as pushed; entries equal in all four are alike, so
     * which one goes does not matter. A scan: for taking back a lost replica's completions, not the request path.
     */
    void remove(double time, int count, float service, long outcome) {
        long packed = ((long) Float.floatToRawIntBits(service) << 32) | (count & 0xFFFFFFFFL);
        for (int i = 0; i < n; i++) {
            if (t[i] != time || k[i] != packed || o[i] != outcome) continue;
            n--;
            if (i == n) return;
            double lt = t[n];
            long lk = k[n], lo = o[n];
            // the last entry takes the hole: down from it, or up when it is earlier than the hole's parent
            int j = i;
            while (j > 0 && t[(j - 1) >>> 1] > lt) {
                int p = (j - 1) >>> 1;
                t[j] = t[p];
                k[j] = k[p];
                o[j] = o[p];
                j = p;
            }
            while (true) {
                int c = 2 * j + 1;
                if (c >= n) break;
                if (c + 1 < n && t[c + 1] < t[c]) c++;
                if (t[c] >= lt) break;
                t[j] = t[c];
                k[j] = k[c];
                o[j] = o[c];
                j = c;
            }
            t[j] = lt;
            k[j] = lk;
            o[j] = lo;
            return;
        }
        throw new IllegalStateException("no completion at " + time + " s of " + (count & 0xFFFFFF) + " requests to take back");
    }

    void pop() {
        double lt = t[--n];
        long lk = k[n], lo = o[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && t[c + 1] < t[c]) c++;
            if (t[c] >= lt) break;
            t[i] = t[c];
            k[i] = k[c];
            o[i] = o[c];
            i = c;
        }
        t[i] = lt;
        k[i] = lk;
        o[i] = lo;
    }
}
