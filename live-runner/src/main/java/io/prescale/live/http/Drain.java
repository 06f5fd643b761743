package io.prescale.live.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A graceful stop: counts the requests in flight (a queued, asynchronous one until its answer is complete); once
 * {@link #stop} is called, every new request is answered 503 with Retry-After and {@code Connection: close}, and
 * {@link #awaitIdle} waits for those in flight to be answered, so a stop does not cut them off.
 */
final class Drain implements Filter {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean stopping;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        // counted before the flag is read: a stop that sees no request in flight sees every later one refused
        inFlight.incrementAndGet();
        AtomicBoolean counted = new AtomicBoolean(true);
        boolean async = false;
        try {
            if (stopping) {
                refuse((HttpServletResponse) res);
                return;
            }
            chain.doFilter(req, res);
            if (stopping && !res.isCommitted()) ((HttpServletResponse) res).setHeader("Connection", "close");
            if (req.isAsyncStarted()) {
                try {
                    req.getAsyncContext().addListener(new AsyncListener() {
                        @Override public void onComplete(AsyncEvent e) { release(counted); }
                        @Override public void onTimeout(AsyncEvent e) { }
                        @Override public void onError(AsyncEvent e) { }
                        @Override public void onStartAsync(AsyncEvent e) { }
                    });
                    async = true;
                } catch (IllegalStateException completed) {
                    // already complete
                }
            }
        } finally {
            if (!async) release(counted);
        }
    }

    private void release(AtomicBoolean counted) {
        if (!counted.compareAndSet(true, false)) return;
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private static void refuse(HttpServletResponse res) throws IOException {
        res.setStatus(503);
        res.setHeader("Retry-After", "1");
        res.setHeader("Connection", "close");
        res.setContentType("application/json");
        res.getOutputStream().write("{\"error\":\"the runner is stopping: try again once it is back (or another replica of it)\"}"
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Refuses every request from now on. */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Waits until no request is in flight, at most {@code grace}; whether none is. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        long until = System.nanoTime() + grace.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = until - System.nanoTime();
                if (left <= 0) return false;
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
