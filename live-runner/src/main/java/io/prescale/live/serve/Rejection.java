package io.prescale.live.serve;

/** Why a request was not served; the HTTP layer turns each into a status code and a reason. */
public final class Rejection extends RuntimeException {
    public enum Kind {
        /** The model's queue is full: 429 with Retry-After. */
        QUEUE_FULL,
        /** The queue ahead of it cannot be served before its deadline: 429 with Retry-After. */
        DEADLINE_UNMEETABLE,
        /** Its own rows take longer than its deadline even on an idle replica: 422, as retrying cannot help. */
        DEADLINE_TOO_SHORT,
        /** Its deadline passed while it waited: 504. */
        DEADLINE_EXPIRED,
        /** The model is being removed: 503. */
        DRAINING,
        /**
         * The model has no replica and the pool has no room to start one for it (serve --cpu-threads, --gpu-memory-mb): 429
         * with Retry-After, as the load's other refusals; a removal or a scale-down elsewhere makes room.
         */
        POOL_FULL,
        /** The model failed to run on its inputs: 422. */
        RUN_FAILED,
        /** The replica running it died (a sidecar process exited) and is being replaced: 503 with Retry-After. */
        REPLICA_LOST,
        /**
         * Its body was wrong for the model it named (inputs, options, JSON): 400. Counted in the model's metrics only
         * ({@link ModelServer#badRequest()}); never queued, so no future fails with it.
         */
        BAD_REQUEST;

        /**
         * Whether the runner turned the request away (a miss its policy should answer with capacity), not the
         * request's own fault: a 422 is neither a drop nor a reason to scale, whatever the client sends.
         */
        public boolean turnedAway() {
            return this != RUN_FAILED && this != DEADLINE_TOO_SHORT && this != BAD_REQUEST;
        }
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
