package io.prescale.simulator.engine;

import java.time.Instant;
import java.time.InstantSource;

/** The simulator's clock: policies read it through {@link InstantSource}; only the engine moves it. */
public final class VirtualClock implements InstantSource {
    private Instant now;

    public VirtualClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    void set(Instant t) {
        if (t.isBefore(now)) throw new IllegalStateException("virtual time went backwards: " + now + " -> " + t);
        now = t;
    }
}
