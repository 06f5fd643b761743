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
        Thread t = new Thread(null, r, name, STACK_BYTES);
        t.setDaemon(true);
        return t;
    }

    public static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> create(r, prefix + "-" + n.incrementAndGet());
    }
}
