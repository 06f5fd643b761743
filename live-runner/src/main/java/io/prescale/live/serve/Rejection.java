package io.prescale.live.serve;

/** Why a request was not served; the HTTP layer turns each into a status code and a reason. */
public final class Rejection extends RuntimeException {
    public enum Kind {
        /** The model's queue is full: 429 with Retry-After. */
        QUEUE_FULL,
        /** The queue ahead of it cannot be served before its deadline: 429 with Retry-After. */
        DEADLINE_UNMEETABLE,
        /** Its deadline passed while it waited: 504. */
        DEADLINE_EXPIRED,
        /** The model is being removed: 503. */
        DRAINING,
        /** The replica failed to run it: 500 (a server-side problem, not the client's). */
        RUN_FAILED
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public Rejection(Kind kind, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
