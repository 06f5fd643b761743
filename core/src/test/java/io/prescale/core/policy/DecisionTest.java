package io.prescale.core.policy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A note's replicas held back are a field of the decision, not something to read out of its text. */
class DecisionTest {

    @Test
    void aPlainNoteHoldsNothingBack() {
        assertThat(new Decision.NoOp("anomaly hold").heldBack()).isEmpty();
        assertThat(new Decision.NoOp("anomaly hold", null).heldBack()).isEmpty();
        // the text a decision log shows is the plain note's, as before the field
        assertThat(new Decision.NoOp("anomaly hold")).hasToString("NoOp[reason=anomaly hold]");
        assertThat(new Decision.NoOp("x", Map.of("m", 2))).hasToString("NoOp[reason=x, heldBack={m=2}]");
    }

    @Test
    void heldBackIsAtLeastOneReplicaPerModelNamedAndACopy() {
        assertThatThrownBy(() -> new Decision.NoOp("x", Map.of("m", 0))).hasMessage("heldBack: want a model and at least 1 replica, got m -> 0");
        Map<String, Integer> given = new LinkedHashMap<>();
        given.put("b", 1);
        given.put("a", 2);
        Decision.NoOp n = new Decision.NoOp("x", given);
        given.put("b", 5); // later changes to the policy's map do not reach the note
        assertThat(n.heldBack()).containsExactly(Map.entry("b", 1), Map.entry("a", 2)); // in the policy's order
        assertThatThrownBy(() -> n.heldBack().put("c", 1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
