package io.prescale.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one "did you mean" rule: a typo or two away, case aside; nothing for a word that is merely short or unrelated. */
class DidYouMeanTest {
    static final List<String> KEYS = List.of("maxBatch", "maxQueueDelay", "pool", "slo");

    @Test
    void aTypoGetsTheClosestKnownName() {
        assertThat(DidYouMean.closest("maxBtach", KEYS)).contains("maxBatch");   // two letters swapped: one edit
        assertThat(DidYouMean.closest("maxbatch", KEYS)).contains("maxBatch");   // case aside
        assertThat(DidYouMean.closest("maxBatchh", KEYS)).contains("maxBatch");
        assertThat(DidYouMean.closest("servgen", List.of("servegen", "servegen-clients", "synthetic"))).contains("servegen");
        assertThat(DidYouMean.closest("chat-larg", List.of("chat-small", "chat-large", "code-mid"))).contains("chat-large");
    }

    @Test
    void farOrShortWordsGetNoGuess() {
        assertThat(DidYouMean.closest("colour", KEYS)).isEmpty();
        assertThat(DidYouMean.closest("id", List.of("to", "from"))).isEmpty(); // two edits in two letters is not a typo
        assertThat(DidYouMean.closest("poolz", KEYS)).contains("pool");
        assertThat(DidYouMean.closest("", KEYS)).isEmpty();
        assertThat(DidYouMean.closest("pool", KEYS)).isEmpty(); // known as written: nothing to correct
    }

    @Test
    void theMessageFormsReadAsOneSentence() {
        assertThat(DidYouMean.suffix("maxBtach", KEYS)).isEqualTo(", did you mean maxBatch?");
        assertThat(DidYouMean.suffix("colour", KEYS)).isEmpty();
        assertThat(DidYouMean.unknownKey("maxBtach", KEYS))
                .isEqualTo("unknown key, did you mean maxBatch? (known: maxBatch, maxQueueDelay, pool, slo)");
        assertThat(DidYouMean.unknownKey("colour", KEYS)).isEqualTo("unknown key (known: maxBatch, maxQueueDelay, pool, slo)");
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertThat(DidYouMean.distance("ab", "ba")).isEqualTo(1);
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
    }

    record Limits(int maxReplicas, int minReplicas) {
        static final Limits DEFAULTS = new Limits(10, 1);
    }

    @Test
    void anUnknownParameterOrYamlKeyIsSuggested() {
        // params bound over a record's defaults (policy params in specs, experiments and flags)
        assertThatThrownBy(() -> ParamBinder.bind(Limits.class, Limits.DEFAULTS, Map.of("maxReplica", 3), "params"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("params.maxReplica: unknown parameter, did you mean maxReplicas? (known: maxReplicas, minReplicas)");
    }
}
