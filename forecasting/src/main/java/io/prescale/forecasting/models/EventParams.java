package io.prescale.forecasting.models;

import io.prescale.core.config.ConfigException;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.events.Holidays;

import java.nio.file.Path;

/** Turns the {@code events} (calendar file) and {@code holidays} params of event-aware forecasters into a calendar. */
final class EventParams {
    private EventParams() {}

    static EventCalendar calendar(String events, String holidays, String path) {
        EventCalendar cal;
        try {
            cal = events == null || events.isBlank() ? EventCalendar.EMPTY : EventCalendar.load(Path.of(events));
        } catch (RuntimeException e) {
            throw new ConfigException(path + ".events", e.getMessage());
        }
        try {
            return cal.withHolidays(Holidays.parse(holidays));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".holidays", e.getMessage());
        }
    }
}
