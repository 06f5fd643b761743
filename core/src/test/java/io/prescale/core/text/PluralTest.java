package io.prescale.core.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PluralTest {
    @Test
    void oneIsSingularEveryOtherCountPlural() {
        assertThat(Plural.count(1, "policy", "policies")).isEqualTo("1 policy");
        assertThat(Plural.count(0, "policy", "policies")).isEqualTo("0 policies");
        assertThat(Plural.count(12, "context", "contexts")).isEqualTo("12 contexts");
    }
}
