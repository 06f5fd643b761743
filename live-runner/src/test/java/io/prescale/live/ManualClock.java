package io.prescale.live;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests move by hand. */
final class ManualClock implements InstantSource {
    private Instant now;

    ManualClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    synchronized Instant advance(Duration d) {
        now = now.plus(d);
        return now;
    }
}
