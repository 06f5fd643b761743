package io.prescale.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void parsesHumanAndIsoForms() {
        assertThat(Durations.parse("300s")).isEqualTo(Duration.ofSeconds(300));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("200us")).isEqualTo(Duration.ofNanos(200_000));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("42")).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void formatsTheShortestForm() {
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofSeconds(300))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofSeconds(15))).isEqualTo("15s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }

    @Test
    void rejectsGarbageWithExamples() {
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration").hasMessageContaining("5m");
    }
}
