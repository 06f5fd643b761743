package io.prescale.simulator.cluster;

import java.util.Arrays;

/**
 * Pending batch completions of one model (time, requests, the sum of those requests' isolated service seconds),
 * a primitive binary min-heap on time.
 */
final class CompletionHeap {
    private double[] t = new double[16];
    private int[] k = new int[16];
    private double[] s = new double[16];
    private int n;

    int size() { return n; }
    double minTime() { return t[0]; }
    int minCount() { return k[0]; }
    double minService() { return s[0]; }

    void push(double time, int count) {
        push(time, count, 0);
    }

    void push(double time, int count, double service) {
        if (n == t.length) {
            t = Arrays.copyOf(t, n * 2);
            k = Arrays.copyOf(k, n * 2);
            s = Arrays.copyOf(s, n * 2);
        }
        int i = n++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (t[p] <= time) break;
            t[i] = t[p];
            k[i] = k[p];
            s[i] = s[p];
            i = p;
        }
        t[i] = time;
        k[i] = count;
        s[i] = service;
    }

    void pop() {
        double lt = t[--n];
        int lk = k[n];
        double ls = s[n];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && t[c + 1] < t[c]) c++;
            if (t[c] >= lt) break;
            t[i] = t[c];
            k[i] = k[c];
            s[i] = s[c];
            i = c;
        }
        t[i] = lt;
        k[i] = lk;
        s[i] = ls;
    }
}
