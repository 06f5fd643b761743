package io.prescale.forecasting.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCalendarTest {
    @Test
    void readsYamlAndCsv(@TempDir Path dir) throws Exception {
        Path y = dir.resolve("e.yaml");
        Files.writeString(y, "events:\n  - {name: launch, start: 2025-03-01, end: 2025-03-02, effect: 1.5}\n  - {name: sale, start: '2025-03-05T10:00:00Z', end: '2025-03-05T12:00:00Z'}\n");
        EventCalendar c = EventCalendar.load(y);
        assertThat(c.names()).containsExactly("launch", "sale");
        assertThat(c.active("launch", Instant.parse("2025-03-01T23:59:00Z"))).isTrue();
        assertThat(c.active("launch", Instant.parse("2025-03-02T00:00:00Z"))).isFalse();
        assertThat(c.statedEffect("launch").getAsDouble()).isEqualTo(1.5);
        Path csv = dir.resolve("e.csv");
        Files.writeString(csv, "name,start,end,effect\npromo,2025-01-01T00:00,2025-01-01T06:00,2\n");
        assertThat(EventCalendar.load(csv).anyActive(Instant.parse("2025-01-01T05:00:00Z"))).isTrue();
    }

    @Test
    void badRowsNameFileAndLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "name,start,end\npromo,2025-01-02,2025-01-01\n");
        assertThatThrownBy(() -> EventCalendar.load(csv)).hasMessageContaining("bad.csv:2").hasMessageContaining("before it starts");
        Path y = dir.resolve("bad.yaml");
        Files.writeString(y, "events:\n  - {name: x, start: 2025-01-01, end: 2025-01-02, when: now}\n");
        assertThatThrownBy(() -> EventCalendar.load(y)).hasMessageContaining("events[0].when");
        Files.writeString(y, "events:\n  - {name: x, start: 2025-01-01, end: 2025-01-02, efect: 2}\n");
        assertThatThrownBy(() -> EventCalendar.load(y))
                .hasMessageEndingWith("events[0].efect: unknown key, did you mean effect? (known: name, start, end, effect)");
    }

    @Test
    void usHolidays() {
        assertThat(Holidays.US.isHoliday(Instant.parse("1995-07-04T12:00:00Z"))).isTrue();
        assertThat(Holidays.US.isHoliday(Instant.parse("2024-11-28T12:00:00Z"))).isTrue();  // 4th Thursday
        assertThat(Holidays.US.isHoliday(Instant.parse("2024-11-21T12:00:00Z"))).isFalse();
        assertThat(Holidays.NONE.isHoliday(Instant.parse("1995-07-04T12:00:00Z"))).isFalse();
    }
}
