package io.prescale.core.model;

import java.time.Duration;

/**
 * A latency objective. A request meets it when it finishes within {@code latency}, or within
 * {@code slowdown} times its own isolated service time when that is larger (long jobs such as
 * image generation are judged against their own length; {@code slowdown = 0} turns that off).
 * {@code target} is the share of requests that must meet it (0.99 for "p99 within latency").
 */
public record Slo(Duration latency, double slowdown, double target) {

    public Slo {
        if (latency == null || latency.isNegative() || latency.isZero())
            throw new IllegalArgumentException("slo.latency must be > 0");
        if (!(slowdown >= 0)) throw new IllegalArgumentException("slo.slowdown must be >= 0");
        if (!(target > 0 && target <= 1)) throw new IllegalArgumentException("slo.target must be in (0, 1]");
    }

    public double latencySeconds() {
        return latency.toNanos() / 1e9;
    }

    /** The latency bound in seconds for a request whose isolated service time is {@code serviceSeconds}. */
    public double boundSeconds(double serviceSeconds) {
        return Math.max(latencySeconds(), slowdown * serviceSeconds);
    }
}
