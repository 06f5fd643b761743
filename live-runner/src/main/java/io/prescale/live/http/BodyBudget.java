package io.prescale.live.http;

import io.javalin.config.Key;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies the server holds at once, across every request: a body's bytes count from the moment
 * they are read until its request has been answered (the tensors decoded from it live as long). When a new body
 * would pass the limit, its request is refused with 429 and Retry-After instead of growing the heap until it runs
 * out, which would fail every request in flight. Bodies are counted as their bytes arrive, so a client that
 * declares a large body and stalls holds only what it has sent.
 */
final class BodyBudget {
    static final Key<BodyBudget> KEY = new Key<>("prescale.bodyBudget");
    /** Request attribute: the bytes this request holds, given back when the request completes. */
    static final String HELD = "prescale.bodyBytesHeld";

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long limit) {
        if (limit <= 0) throw new IllegalArgumentException("body budget must be > 0");
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit under the limit. */
    boolean tryAcquire(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) return false;
            if (held.compareAndSet(now, now + bytes)) return true;
        }
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
