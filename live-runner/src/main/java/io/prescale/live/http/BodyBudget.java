package io.prescale.live.http;

import io.javalin.config.Key;
import jakarta.servlet.ServletRequest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies and answers the server holds at once, across every request: a body's bytes count from the
 * moment they are read until its request has been answered (the tensors decoded from it live as long), and an answer's
 * (above {@link LiveServer#ANSWER_UNCOUNTED_BYTES}) from when it is ready until its client has taken it. When a new
 * body would pass the limit, its request is refused with 429 and Retry-After instead of growing the heap until it runs
 * out, which would fail every request in flight.
 */
final class BodyBudget {
    static final Key<BodyBudget> KEY = new Key<>("prescale.bodyBudget");
    /** Request attribute: the {@link Held} bytes of that request. */
    private static final String HELD = "prescale.bodyBytesHeld";

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long limit) {
        if (limit <= 0) throw new IllegalArgumentException("body budget must be > 0");
        this.limit = limit;
    }

    /** What one request holds. Given back once, by whichever end of the request comes first (see {@link #giveBack}). */
    static final class Held {
        private final AtomicLong bytes = new AtomicLong();

        void add(long n) {
            bytes.addAndGet(n);
        }
    }

    static Held held(ServletRequest request) {
        Object h = request.getAttribute(HELD);
        if (h instanceof Held held) return held;
        Held fresh = new Held();
        request.setAttribute(HELD, fresh);
        return fresh;
    }

    /** Gives back what {@code request} holds; a second call (another thread, another end) gives back nothing. */
    void giveBack(ServletRequest request) {
        if (request.getAttribute(HELD) instanceof Held h) release(h.bytes.getAndSet(0));
    }

    /** Takes {@code bytes} if they fit under the limit. */
    boolean tryAcquire(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) return false;
            if (held.compareAndSet(now, now + bytes)) return true;
        }
    }

    /**
     * Takes {@code bytes} of an answer if they fit under the limit, or if nothing else is held: an answer larger than the
     * whole budget is still sent, one at a time.
     */
    boolean tryAcquireAnswer(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > limit) return false;
            if (held.compareAndSet(now, now + bytes)) return true;
        }
    }

    /** Takes {@code bytes} whether they fit or not (an answer that is sent anyway); true. */
    boolean acquire(long bytes) {
        held.addAndGet(bytes);
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long limit() {
        return limit;
    }
}
