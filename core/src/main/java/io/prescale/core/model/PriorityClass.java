package io.prescale.core.model;

/** Static priority of a model; lower ordinal wins when capacity is short. */
public enum PriorityClass {
    CRITICAL, HIGH, NORMAL, LOW, BATCH;

    /** Parses the catalog spelling ("high", "NORMAL"); the error lists the accepted values. */
    public static PriorityClass parse(String s) {
        for (PriorityClass p : values()) {
            if (p.name().equalsIgnoreCase(s)) return p;
        }
        throw new IllegalArgumentException("unknown priority '" + s + "' (one of critical, high, normal, low, batch)");
    }
}
