package io.prescale.simulator.cli;

import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.CliRun;
import io.prescale.simulator.CliRun.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PoliciesCommandTest {

    @Test
    void listsEveryPolicyWithItsParametersAndDefaults() {
        Result r = CliRun.run(new PoliciesCommand());
        assertThat(r.exit()).as(r.output()).isZero();
        for (String id : PolicyCatalog.ids()) assertThat(r.output()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(id) + "\\b");
        // the parameters as the binder names them, with their defaults (HPA: 10 % tolerance, 5 min stabilisation)
        assertThat(r.output()).containsPattern("(?m)^ +tolerance +0\\.1$").containsPattern("(?m)^ +scaleDownStabilization +5m$");
        assertThat(r.output()).contains("oracle  (knows the future");
        // the budget policy's nested headroom params, as dotted keys
        assertThat(r.output()).containsPattern("(?m)^ +base\\.maxUtilization +0\\.9$");
    }

    @Test
    void oneIdShowsOnlyThatPolicyAndAnUnknownIdNamesTheKnownOnes() {
        Result one = CliRun.run(new PoliciesCommand(), "predictive.headroom");
        assertThat(one.exit()).isZero();
        assertThat(one.output()).contains("spareRequestsPerNode").contains("anomalyHold").doesNotContain("reactive.hpa");
        // docs/results.md: the oracle is a reference sized on the future, not an optimal schedule, and not a cost floor
        Result oracle = CliRun.run(new PoliciesCommand(), "oracle");
        assertThat(oracle.output()).contains("not an optimal schedule").doesNotContain("lower bound");
        Result unknown = CliRun.run(new PoliciesCommand(), "nope");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.error()).hasMessageStartingWith("unknown policy 'nope' (known: ").hasMessageContaining("reactive.hpa");
        // a typo after a good id: nothing printed, the likely id suggested
        Result typo = CliRun.run(new PoliciesCommand(), "oracle", "reactive.hpaa");
        assertThat(typo.exit()).isNotZero();
        assertThat(typo.error()).hasMessageStartingWith("unknown policy 'reactive.hpaa', did you mean reactive.hpa? (known: ");
        assertThat(typo.output()).doesNotContain("knows the future");
    }
}
