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
     * Removes, for each of the first {@code m} entries given (time, count, service, outcome, as pushed), one entry equal
     * to it; entries equal in all four are alike, so which one goes does not matter. One pass over the heap and a
     * rebuild: for taking back a lost replica's completions, not the request path.
     */
    void removeAll(double[] times, int[] counts, float[] services, long[] outcomes, int m) {
        if (m == 0) return;
        Integer[] order = new Integer[m];
        for (int x = 0; x < m; x++) order[x] = x;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(times[a], times[b]));
        double[] rt = new double[m];
        long[] rk = new long[m];
        long[] ro = new long[m];
        for (int x = 0; x < m; x++) {
            int y = order[x];
            rt[x] = times[y];
            rk[x] = ((long) Float.floatToRawIntBits(services[y]) << 32) | (counts[y] & 0xFFFFFFFFL);
            ro[x] = outcomes[y];
        }
        boolean[] used = new boolean[m];
        int kept = 0, found = 0;
        for (int i = 0; i < n; i++) {
            boolean drop = false;
            if (found < m) {
                int lo = java.util.Arrays.binarySearch(rt, t[i]);
                if (lo >= 0) {
                    while (lo > 0 && rt[lo - 1] == t[i]) lo--;
                    for (int x = lo; x < m && rt[x] == t[i]; x++) {
                        if (used[x] || rk[x] != k[i] || ro[x] != o[i]) continue;
                        used[x] = true;
                        found++;
                        drop = true;
                        break;
                    }
                }
            }
            if (drop) continue;
            t[kept] = t[i];
            k[kept] = k[i];
            o[kept] = o[i];
            kept++;
        }
        if (found < m) throw new IllegalStateException((m - found) + " completions to take back are not pending");
        n = kept;
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(i);
    }

    private void siftDown(int i) {
        double lt = t[i];
        long lk = k[i], lo = o[i];
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

    void pop() {
        // the last entry takes the root's place and sinks to where it belongs
        n--;
        t[0] = t[n];
        k[0] = k[n];
        o[0] = o[n];
        siftDown(0);
    }
}
