package io.prescale.forecasting.events;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** Public holidays as a demand feature: none, or the US federal holidays (UTC days). */
public enum Holidays {
    NONE, US;

    public static Holidays parse(String s) {
        return switch (s.toLowerCase()) {
            case "none", "" -> NONE;
            case "us" -> US;
            default -> throw new IllegalArgumentException("unknown holiday set '" + s + "' (known: none, us)");
        };
    }

    public boolean isHoliday(Instant t) {
        if (this == NONE) return false;
        LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
        int y = d.getYear();
        return d.equals(LocalDate.of(y, 1, 1)) || d.equals(LocalDate.of(y, 7, 4)) || d.equals(LocalDate.of(y, 11, 11))
                || d.equals(LocalDate.of(y, 12, 25)) || d.equals(LocalDate.of(y, 6, 19))
                || d.equals(nth(y, Month.JANUARY, DayOfWeek.MONDAY, 3)) || d.equals(nth(y, Month.FEBRUARY, DayOfWeek.MONDAY, 3))
                || d.equals(LocalDate.of(y, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
                || d.equals(nth(y, Month.SEPTEMBER, DayOfWeek.MONDAY, 1)) || d.equals(nth(y, Month.OCTOBER, DayOfWeek.MONDAY, 2))
                || d.equals(nth(y, Month.NOVEMBER, DayOfWeek.THURSDAY, 4));
    }

    private static LocalDate nth(int year, Month m, DayOfWeek dow, int n) {
        return LocalDate.of(year, m, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }
}
