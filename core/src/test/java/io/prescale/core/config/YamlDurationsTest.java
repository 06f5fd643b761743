package io.prescale.core.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every duration field the project's mappers bind refuses a bare number, as the command line does: "timeout: 30" is
 * 30 s or 30 min, and was read as 30 s without a word (a number) or as the same in quotes. The error names the field
 * and says which units to write. 0 is 0 in every unit.
 */
class YamlDurationsTest {

    record Timeouts(Duration timeout, List<Duration> windows) {}

    record Params(List<Duration> windows, double target) {
        static final Params DEFAULTS = new Params(List.of(Duration.ofMinutes(5)), 0.7);
    }

    @Test
    void aBareNumberInAFileIsRefusedNamingTheField() {
        for (String yaml : List.of("timeout: 30", "timeout: '30'", "timeout: 1.5", "timeout: 1e3")) {
            assertThatThrownBy(() -> Yaml.yaml().readValue(yaml, Timeouts.class)).as(yaml)
                    .isInstanceOfSatisfying(JsonMappingException.class, e -> {
                        assertThat(BindingErrors.path(e)).isEqualTo("timeout");
                        String bare = yaml.substring("timeout: ".length()).replace("'", "");
                        assertThat(BindingErrors.reason(e)).isEqualTo("'" + bare + "' has no unit: write " + bare + "s, " + bare + "m, " + bare + "h or " + bare + "d");
                    });
        }
        // in a list too, named by its index, and in JSON
        assertThatThrownBy(() -> Yaml.yaml().readValue("windows: [5m, 30]", Timeouts.class))
                .isInstanceOfSatisfying(JsonMappingException.class, e -> {
                    assertThat(BindingErrors.path(e)).isEqualTo("windows[1]");
                    assertThat(BindingErrors.reason(e)).isEqualTo("'30' has no unit: write 30s, 30m, 30h or 30d");
                });
        assertThatThrownBy(() -> Yaml.json().readValue("{\"timeout\": 10}", Timeouts.class))
                .isInstanceOfSatisfying(JsonMappingException.class, e -> assertThat(BindingErrors.reason(e)).startsWith("'10' has no unit"));
    }

    @Test
    void aDurationWithAUnitOrZeroIsRead() throws Exception {
        assertThat(Yaml.yaml().readValue("timeout: 30s\nwindows: [5m, PT1H, 0, '0.0', 1m30s]", Timeouts.class))
                .isEqualTo(new Timeouts(Duration.ofSeconds(30), List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ZERO, Duration.ZERO,
                        Duration.ofSeconds(90))));
        // what the mappers write reads back
        Timeouts t = new Timeouts(Duration.ofMillis(1500), List.of(Duration.ZERO, Duration.ofDays(2)));
        assertThat(Yaml.json().readValue(Yaml.json().writeValueAsString(t), Timeouts.class)).isEqualTo(t);
    }

    @Test
    void aPolicyParamThatIsAListOfDurationsRefusesABareNumberToo() {
        // the params binder checks a duration field itself; a duration inside a list is checked where it is bound
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("windows", List.of("5m", 30)), "policies[0].params"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("policies[0].params.windows[1]: '30' has no unit: write 30s, 30m, 30h or 30d");
        assertThat(ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("windows", List.of("5m", 0)), "params").windows())
                .containsExactly(Duration.ofMinutes(5), Duration.ZERO);
    }
}
