package io.prescale.live.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: each request is handed over at its due time and posted by one of a fixed set
 * of worker threads, each on its own keep-alive connection. Latency is measured from the due time, so a
 * lagging generator does not hide queueing (no coordinated omission). Answers are reported one at a time.
 */
public final class OpenLoopSender implements AutoCloseable {

    /**
     * Told of each answer: the caller's key, the HTTP status (-1: the connection failed), microseconds since due,
     * and the microseconds the server says it held the request ({@code Server-Timing}; -1 when not given).
     */
    @FunctionalInterface
    public interface Outcome {
        void answered(String key, int status, long micros, long serverMicros);
    }

    private final Map<String, String> firstErrors = new ConcurrentHashMap<>();
    private record Send(String key, long dueNanos, byte[] body) {}

    private static final Send POISON = new Send("", 0, new byte[0]);

    private final BlockingQueue<Send> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final List<KeepAliveClient> clients = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Outcome outcome;
    private final int readTimeoutMillis;

    public OpenLoopSender(URI base, String path, int connections, int queueCapacity, String threadName, boolean daemon, Outcome outcome) {
        this(base, path, connections, queueCapacity, threadName, daemon, outcome, 120_000);
    }

    /** As the constructor above, each answer waited for at most {@code readTimeoutMillis} (a test shortens it). */
    OpenLoopSender(URI base, String path, int connections, int queueCapacity, String threadName, boolean daemon, Outcome outcome,
                   int readTimeoutMillis) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.outcome = outcome;
        this.readTimeoutMillis = readTimeoutMillis;
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> work(base, path, outcome), threadName + "-" + i);
            t.setDaemon(daemon);
            t.start();
            workers.add(t);
        }
    }

    /** Waits for {@code dueNanos} ({@link System#nanoTime}), then queues the request, waiting for room. */
    public void sendAt(String key, long dueNanos, byte[] body) throws InterruptedException {
        waitFor(dueNanos);
        queue.put(new Send(key, dueNanos, body));
    }

    /** As {@link #sendAt(String, long, byte[])}, but gives up when the queue stays full for {@code timeout}: false. */
    public boolean sendAt(String key, long dueNanos, byte[] body, long timeout, TimeUnit unit) throws InterruptedException {
        waitFor(dueNanos);
        return queue.offer(new Send(key, dueNanos, body), timeout, unit);
    }

    private static void waitFor(long dueNanos) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) LockSupport.parkNanos(Math.min(wait, 20_000_000L));
    }

    /** The first failed answer per key (status and body, or why none came; 429s are not failures): what to show a user. */
    public Map<String, String> firstErrors() {
        return new TreeMap<>(firstErrors);
    }

    /** Lets the workers answer everything queued, then stops them. */
    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < workers.size(); i++) queue.put(POISON);
        for (Thread t : workers) t.join();
    }

    /**
     * As {@link #close()}, waiting at most {@code timeout} in all: then what is still queued is not sent and what is in
     * flight is cut off, each told as a request with no answer (status -1). Returns whether every answer came in time.
     * Unbounded, a runner that hung with its connections open held a replay's end for each worker's queued requests
     * one after another, a read timeout (120 s) each.
     */
    public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
        long until = System.nanoTime() + unit.toNanos(timeout);
        int poisoned = 0;
        while (poisoned < workers.size() && queue.offer(POISON, Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) poisoned++;
        if (poisoned == workers.size() && joinAll(until)) return true;
        String why = "no answer: the sender stopped waiting " + Math.round(unit.toMillis(timeout) / 1000.0) + " s after the last request was due";
        List<Send> unsent = new ArrayList<>();
        queue.drainTo(unsent);
        for (Send s : unsent) {
            if (s == POISON) continue;
            firstErrors.putIfAbsent(s.key(), why);
            synchronized (this) {
                outcome.answered(s.key(), -1, Math.max(1, (System.nanoTime() - s.dueNanos()) / 1000), -1);
            }
        }
        synchronized (clients) {
            for (KeepAliveClient c : clients) c.abort(); // each read in flight ends now, as a request with no answer
        }
        for (int i = 0; i < workers.size(); i++) queue.offer(POISON); // room now: the queue was drained
        for (Thread t : workers) t.join(); // a cut-off read ends at once, and no worker connects again
        return false;
    }

    private boolean joinAll(long untilNanos) throws InterruptedException {
        for (Thread t : workers) {
            long left = untilNanos - System.nanoTime();
            if (left > 0) t.join(Math.max(1, left / 1_000_000));
            if (t.isAlive()) return false;
        }
        return true;
    }

    private void work(URI base, String path, Outcome outcome) {
        KeepAliveClient client = new KeepAliveClient(base, readTimeoutMillis);
        clients.add(client);
        try (KeepAliveClient c = client) {
            while (true) {
                Send s = queue.take();
                if (s == POISON) return;
                int code;
                long server = -1;
                String error = null;
                boolean first = !firstErrors.containsKey(s.key()); // only the first failure per key is kept: build no text for the rest
                try {
                    code = c.post(path, s.body());
                    server = c.lastServerMicros();
                    if (code != 200 && code != 429 && first) error = code + " " + new String(c.lastBody(), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    // a worker must outlive any answer: one that died left its share of the queue unsent, and close()
                    // waiting for room on a queue nobody took from any more
                    code = -1;
                    if (first) error = "no answer: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
                }
                if (error != null) firstErrors.putIfAbsent(s.key(), error.length() > 300 ? error.substring(0, 300) + " ..." : error);
                long micros = Math.max(1, (System.nanoTime() - s.dueNanos()) / 1000);
                synchronized (this) {
                    outcome.answered(s.key(), code, micros, server);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
