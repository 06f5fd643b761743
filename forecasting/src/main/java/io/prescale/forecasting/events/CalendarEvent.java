package io.prescale.forecasting.events;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * A user event (promotion, launch, holiday) active over [start, end). {@code effect} is the expected
 * demand multiplier when known (2.0 = twice the usual demand); event-aware forecasters learn it from
 * past occurrences of the same name and use the stated effect for names they have not seen yet.
 */
public record CalendarEvent(String name, Instant start, Instant end, OptionalDouble effect) {
    public CalendarEvent {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("event name is empty");
        if (!end.isAfter(start)) throw new IllegalArgumentException("event '" + name + "' ends (" + end + ") before it starts (" + start + ")");
        if (effect.isPresent() && !(effect.getAsDouble() > 0))
            throw new IllegalArgumentException("event '" + name + "' effect must be > 0 (a demand multiplier), got " + effect.getAsDouble());
    }

    public boolean activeAt(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
