package io.prescale.live.loop;

/** A request that is valid in simulation but cannot be carried out live (409). */
public class LiveUnsupportedException extends RuntimeException {
    public LiveUnsupportedException(String message) {
        super(message);
    }
}
