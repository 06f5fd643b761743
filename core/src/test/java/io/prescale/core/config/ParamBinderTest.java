package io.prescale.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamBinderTest {
    record Params(double target, Duration window, int steps) {
        static final Params DEFAULTS = new Params(0.7, Duration.ofSeconds(60), 3);

        Params {
            if (!(target > 0 && target <= 1)) throw new IllegalArgumentException("target must be in (0, 1]");
        }
    }

    @Test
    void overridesLandOnTheDefaults() {
        Params p = ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", "2m"), "policies[0].params");
        assertThat(p).isEqualTo(new Params(0.7, Duration.ofMinutes(2), 3));
        assertThat(ParamBinder.bind(Params.class, Params.DEFAULTS, null, "p")).isEqualTo(Params.DEFAULTS);
    }

    @Test
    void unknownKeyNamesItsPathAndTheKnownOnes() {
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("tolerance", 1), "policies[2].params"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("policies[2].params.tolerance: unknown parameter")
                .hasMessageContaining("steps, target, window");
    }

    @Test
    void wrongTypeAndRangeNameTheField() {
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", "many"), "params"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("params.steps");
        // a range check in the record's constructor is reported at the field it names
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("target", 2.0), "params"))
                .isInstanceOf(ConfigException.class).hasMessage("params.target: target must be in (0, 1]");
    }

    record Outer(double cap, Params base) {
        static final Outer DEFAULTS = new Outer(100, Params.DEFAULTS);
    }

    @Test
    void aFractionForAWholeNumberIsAnErrorNotTruncated() {
        // steps = 1.9 once ran as 1 while a sweep labelled it 1.9
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", 1.9), "params"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("params.steps");
        assertThat(ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", 2), "params").steps()).isEqualTo(2);
    }

    @Test
    void aValueOfTheWrongKindIsSaidInWordsNotJacksons() {
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("target", "abc"), "reactive.hpa"))
                .isInstanceOf(ConfigException.class).hasMessage("reactive.hpa.target: 'abc' is not a number");
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", "many"), "params"))
                .hasMessage("params.steps: 'many' is not a whole number");
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", 1.9), "params"))
                .hasMessage("params.steps: 1.9 is not a whole number");
        // a whole number past an int is out of range, not "not a whole number"
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", 1e12), "params"))
                .hasMessage("params.steps: 1000000000000 is out of range: a whole number from -2147483648 to 2147483647");
        // one inside the range, written as a decimal, is not out of range (it read "1 is out of range: ... from -2147483648")
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("steps", 1.0), "params"))
                .hasMessage("params.steps: 1.0 is written with a decimal point: write the whole number 1");
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", "fast"), "params"))
                .hasMessageStartingWith("params.window: not a duration: 'fast'");
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("target", java.util.List.of(1)), "params"))
                .hasMessage("params.target: want a number");
        // a nested record's field is named by its whole path
        assertThatThrownBy(() -> ParamBinder.bind(Outer.class, Outer.DEFAULTS, Map.of("base", Map.of("target", "x")), "params"))
                .hasMessage("params.base.target: 'x' is not a number");
    }

    @Test
    void aNestedRecordTakesAPartialMapOverItsOwnDefaults() {
        Outer o = ParamBinder.bind(Outer.class, Outer.DEFAULTS, Map.of("base", Map.of("steps", 5)), "params");
        assertThat(o).isEqualTo(new Outer(100, new Params(0.7, Duration.ofSeconds(60), 5)));
        assertThatThrownBy(() -> ParamBinder.bind(Outer.class, Outer.DEFAULTS, Map.of("base", Map.of("stepz", 5)), "params"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("params.base.stepz: unknown parameter");
    }

    @Test
    void dottedKeysNestAsTheBinderTakesThem() {
        Map<String, Object> dotted = new java.util.LinkedHashMap<>();
        dotted.put("cap", 50);
        dotted.put("base.steps", 5);
        dotted.put("base.window", "2m");
        assertThat(ParamBinder.nest(dotted)).isEqualTo(Map.of("cap", 50, "base", Map.of("steps", 5, "window", "2m")));
        assertThat(ParamBinder.bind(Outer.class, Outer.DEFAULTS, ParamBinder.nest(dotted), "p"))
                .isEqualTo(new Outer(50, new Params(0.7, Duration.ofMinutes(2), 5)));
        dotted.put("cap.more", 1); // cap is a value and a record at once
        assertThatThrownBy(() -> ParamBinder.nest(dotted)).isInstanceOf(ConfigException.class).hasMessageStartingWith("cap.more");
    }

    @Test
    void aBareNumberForADurationIsRefusedNamingTheField() {
        // "window: 30" was read as 30 s where 30 m may have been meant: the unit must be written, as on the command line
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", 30), "policies[0].params"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("policies[0].params.window: '30' has no unit: write 30s, 30m, 30h or 30d");
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", 1.5), "params"))
                .hasMessage("params.window: '1.5' has no unit: write 1.5s, 1.5m, 1.5h or 1.5d");
        // quoted, it is still a bare number
        assertThatThrownBy(() -> ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", "45"), "params"))
                .hasMessage("params.window: '45' has no unit: write 45s, 45m, 45h or 45d");
        // in a nested record too, named by its whole path
        assertThatThrownBy(() -> ParamBinder.bind(Outer.class, Outer.DEFAULTS, Map.of("base", Map.of("window", 90)), "params"))
                .hasMessage("params.base.window: '90' has no unit: write 90s, 90m, 90h or 90d");
        // 0 is 0 in every unit; a number for a field that is not a duration is a number
        assertThat(ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", 0), "params").window()).isZero();
        assertThat(ParamBinder.bind(Params.class, Params.DEFAULTS, Map.of("window", "30s", "steps", 30), "params"))
                .isEqualTo(new Params(0.7, Duration.ofSeconds(30), 30));
    }

    @Test
    void toMapWritesDurationsAsText() {
        assertThat(ParamBinder.toMap(Params.DEFAULTS)).containsEntry("window", "1m").containsEntry("steps", 3);
    }
}
