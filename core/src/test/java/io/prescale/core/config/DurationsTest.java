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
    void anOptionRefusesABareNumber() {
        // "--horizon 30" may mean 30 s or 30 min: the command line asks, as every file does (YamlDurationsTest);
        // parse itself still reads a bare number as seconds, for callers that checked first
        assertThatThrownBy(() -> Durations.parseOption("--from", "2"))
                .isInstanceOf(ConfigException.class).hasMessage("--from: '2' has no unit: write 2s, 2m, 2h or 2d");
        assertThatThrownBy(() -> Durations.parseOption("--horizon", " 1.5 ")).hasMessage("--horizon: '1.5' has no unit: write 1.5s, 1.5m, 1.5h or 1.5d");
        assertThat(Durations.parseOption("--horizon", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parseOption("--warmup", "0")).isEqualTo(Duration.ZERO); // zero is zero in any unit
        assertThat(Durations.parseOption("--window", "PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Durations.parseOption("--window", "soon")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--window: not a duration: 'soon'");
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
        // an exponent is a bare number too (parse does not read it at all)
        assertThatThrownBy(() -> Durations.parseOption("--horizon", "1e3")).hasMessage("--horizon: '1e3' has no unit: write 1e3s, 1e3m, 1e3h or 1e3d");
        assertThat(Durations.hasNoUnit("0.0")).isFalse();
        assertThat(Durations.hasNoUnit("-0")).isFalse();
        assertThat(Durations.hasNoUnit("30s")).isFalse();
        assertThat(Durations.hasNoUnit(" 30 ")).isTrue();
    }

    @Test
    void compoundsAddTheirParts() {
        // 7 d + 12 h = 7.5 d; 1 min + 30 s = 90 s; 1 h + 30 min + 15 s = 5,415 s; 1 s + 500 ms = 1.5 s
        assertThat(Durations.parse("7d12h")).isEqualTo(Duration.ofHours(180));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h30m15s")).isEqualTo(Duration.ofSeconds(5415));
        assertThat(Durations.parse("1s500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.isUnitForm("7d12h")).isTrue();
        assertThat(Durations.isUnitForm("2024-11-20T00:00:00")).isFalse();
        assertThatThrownBy(() -> Durations.parse("7d12")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("7dh")).hasMessageContaining("not a duration");
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
    void whatFormatWritesParseReadsBackToTheNanosecond() {
        // states on disk hold formatted durations: 500 us used to come out as "5.0E-4s", which no parser reads
        assertThat(Durations.format(Duration.ofNanos(500_000))).isEqualTo("0.0005s");
        assertThat(Durations.format(Duration.ofNanos(123))).isEqualTo("0.000000123s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        for (Duration d : new Duration[]{Duration.ofNanos(1), Duration.ofNanos(500_000), Duration.ofMillis(1500), Duration.ofSeconds(-5),
                Duration.ofMinutes(5), Duration.ofDays(36500), Duration.ofSeconds(86400 * 365L * 250 + 1).plusNanos(7)})
            assertThat(Durations.parse(Durations.format(d))).as(Durations.format(d)).isEqualTo(d);
    }

    @Test
    void durationsPastWhatNanosecondsCountAreErrorsNotSilentlyCapped() {
        // 10^6 days = 8.64e19 ns, past Long.MAX_VALUE (9.22e18 ns, about 292 years)
        assertThatThrownBy(() -> Durations.parse("1000000d")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Durations.parse("P300000D")).hasMessageContaining("out of range");
        assertThat(Durations.parse("P1000D")).isEqualTo(Duration.ofDays(1000));
    }

    @Test
    void rejectsGarbageWithExamples() {
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("not a duration").hasMessageContaining("5m").hasMessageContaining("7d12h");
    }
}
