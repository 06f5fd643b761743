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
    void aDurationParameterWantsItsUnitOnTheCommandLine() {
        assertThatThrownBy(() -> check("reactive.hpa.syncPeriod=15"))
                .hasMessage("reactive.hpa.syncPeriod: '15' has no unit: write 15s, 15m, 15h or 15d");
        Map<String, Map<String, Object>> ok = ParamFlags.parse(List.of("reactive.hpa.syncPeriod=30s", "reactive.hpa.targetUtilization=0.5"),
                List.of("reactive.hpa"));
        assertThat(ok.get("reactive.hpa")).containsEntry("syncPeriod", "30s").containsEntry("targetUtilization", 0.5);
        check("reactive.hpa.syncPeriod=30s", "reactive.hpa.targetUtilization=0.5");
    }
}
