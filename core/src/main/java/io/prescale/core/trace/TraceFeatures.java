package io.prescale.core.trace;

/** What a trace format carries, so consumers know what they may rely on. */
public record TraceFeatures(boolean perInterval, boolean serviceTimes, boolean tokenCounts,
                            boolean arrivalShapes, boolean gaps) {}
