package io.prescale.simulator.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code -p POLICY.KEY=VALUE}: errors in the flag's words, naming the policy, never Jackson's text. */
class ParamFlagsTest {
    static void check(String... flags) {
        List<String> ids = List.of("reactive.hpa", "predictive.budget");
        Map<String, Map<String, Object>> over = ParamFlags.parse(List.of(flags), ids);
        for (String id : ids) ParamFlags.check(id, over.getOrDefault(id, Map.of()));
    }

    @Test
    void aValueOfTheWrongKindIsNamedAsTheFlagNamesIt() {
        assertThatThrownBy(() -> check("reactive.hpa.targetUtilization=abc")).isInstanceOf(ConfigException.class)
                .hasMessage("reactive.hpa.targetUtilization: 'abc' is not a number");
        assertThatThrownBy(() -> check("reactive.hpa.minReplicas=1.5"))
                .hasMessage("reactive.hpa.minReplicas: 1.5 is not a whole number");
        assertThatThrownBy(() -> check("predictive.budget.base.maxUtilization=high"))
                .hasMessage("predictive.budget.base.maxUtilization: 'high' is not a number");
    }

    @Test
    void anUnknownParameterNamesThePolicyAndItsParameters() {
        assertThatThrownBy(() -> check("reactive.hpa.target=0.5"))
                .hasMessageStartingWith("reactive.hpa.target: unknown parameter of reactive.hpa (known: ")
                .hasMessageContaining("targetUtilization").hasMessageContaining("syncPeriod");
    }

    @Test
    void aPolicyThatDoesNotRunIsToldFromOneThatDoesNotExist() {
        // both were "policy '...' is not in --policies", even with no --policies given and the id a typo
        assertThatThrownBy(() -> check("reactive.hpaa.targetUtilization=0.5"))
                .hasMessageStartingWith("--param reactive.hpaa.targetUtilization=0.5: unknown policy 'reactive.hpaa', did you mean reactive.hpa? (known: ");
        assertThatThrownBy(() -> check("oracle.subWindow=30s"))
                .hasMessage("--param oracle.subWindow=30s: policy 'oracle' is not in --policies [reactive.hpa, predictive.budget]");
    }

    @Test
    void aParameterSetTwiceIsRefusedNotTheLastOneTaken() {
        assertThatThrownBy(() -> check("reactive.hpa.targetUtilization=0.5", "reactive.hpa.targetUtilization=0.6"))
                .hasMessage("--param reactive.hpa.targetUtilization=0.6: reactive.hpa.targetUtilization is already set (to 0.5): simulate runs "
                        + "one value of a parameter; to compare several, list them in a sweep experiment (params: {targetUtilization: [0.5, 0.6]})");
    }

    @Test
    void aDurationParameterWantsItsUnitOnTheCommandLine() {
        assertThatThrownBy(() -> check("reactive.hpa.syncPeriod=15"))
                .hasMessage("reactive.hpa.syncPeriod: '15' has no unit: write 15s, 15m, 15h or 15d");
        Map<String, Map<String, Object>> ok = ParamFlags.parse(List.of("reactive.hpa.syncPeriod=30s", "reactive.hpa.targetUtilization=0.5"),
                List.of("reactive.hpa"));
        assertThat(ok.get("reactive.hpa")).containsEntry("syncPeriod", "30s").containsEntry("targetUtilization", 0.5);
        check("reactive.hpa.syncPeriod=30s", "reactive.hpa.targetUtilization=0.5");
    }
}
