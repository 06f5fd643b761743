package io.prescale.live.onnx;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that call into ONNX Runtime. Creating sessions for real models (e.g. Silero VAD, whose graph holds
 * control-flow subgraphs) recurses deeply in native code: on a default 1 MiB Java thread stack (Jetty's
 * request threads) the JVM dies with SIGSEGV. Every session load and run happens on these threads instead.
 */
public final class NativeThreads {
    public static final long STACK_BYTES = 16L << 20;

    private NativeThreads() {}

    public static Thread create(Runnable r, String name) {
        Thread t = new BigStackThread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Whether the calling thread was made here, so it may call into ONNX Runtime. */
    public static boolean onBigStack() {
        return Thread.currentThread() instanceof BigStackThread;
    }

    private static final class BigStackThread extends Thread {
        BigStackThread(Runnable r, String name) {
            super(null, r, name, STACK_BYTES);
        }
    }

    public static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> create(r, prefix + "-" + n.incrementAndGet());
    }
}
