import java.util.Arrays;
import java.util.SplittableRandom;

/** The physical-limit anchor for a discrete-event simulator: a primitive binary heap popping and pushing
 *  exponential timers and nothing else. Prints the median events per second of 5 runs. */
public class BareEventLoop {
    static double[] t; static int[] p; static int n;
    static void push(double time, int id) {
        if (n == t.length) { t = Arrays.copyOf(t, n * 2); p = Arrays.copyOf(p, n * 2); }
        int i = n++;
        while (i > 0) { int par = (i - 1) >>> 1; if (t[par] <= time) break; t[i] = t[par]; p[i] = p[par]; i = par; }
        t[i] = time; p[i] = id;
    }
    static double popT; static int popId;
    static void pop() {
        popT = t[0]; popId = p[0]; double lt = t[--n]; int lp = p[n]; int i = 0;
        while (true) { int c = 2 * i + 1; if (c >= n) break; if (c + 1 < n && t[c + 1] < t[c]) c++; if (t[c] >= lt) break; t[i] = t[c]; p[i] = p[c]; i = c; }
        t[i] = lt; p[i] = lp;
    }
    public static void main(String[] a) {
        int pending = 10_000; long total = 20_000_000L;
        SplittableRandom r = new SplittableRandom(1);
        double[] rates = new double[5]; long sink = 0;
        for (int rep = 0; rep < rates.length; rep++) {
            t = new double[pending * 2]; p = new int[pending * 2]; n = 0;
            for (int i = 0; i < pending; i++) push(-Math.log(1 - r.nextDouble()), i);
            long s = System.nanoTime();
            for (long k = 0; k < total; k++) { pop(); sink += popId; push(popT - Math.log(1 - r.nextDouble()), popId); }
            rates[rep] = total / ((System.nanoTime() - s) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("%.0f%n", rates[2] + (sink == 42 ? 1 : 0));
    }
}
