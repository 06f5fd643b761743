package io.prescale.core.trace;

import java.time.Duration;
import java.time.Instant;

/** One record of a trace: a single request, or a count of requests in an interval. */
public sealed interface TraceRecord {

    Instant time();

    String model();

    /**
     * A request arriving at {@code time}. {@code serviceSeconds} is NaN when the trace does not say how
     * long it ran; token counts are -1 when absent.
     */
    record Request(Instant time, String model, double serviceSeconds, int inputTokens, int outputTokens) implements TraceRecord {}

    /**
     * {@code count} requests of {@code model} in [time, time + length). {@code gap} marks an interval
     * without data (outage, collection gap): it is neither demand nor zero demand.
     */
    record IntervalCount(Instant time, Duration length, String model, double count, ArrivalShape shape,
                         boolean gap) implements TraceRecord {}
}
