package io.prescale.core.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PercentTest {
    @Test
    void anAttainmentIsRoundedButNeverUpOntoAWholePercentItMisses() {
        assertThat(Percent.of(0.99999, 2)).isEqualTo("99.99");  // rounded: "100.00"
        assertThat(Percent.of(0.98996, 2)).isEqualTo("98.99");  // rounded: "99.00", beside "below the 99 % target"
        assertThat(Percent.of(1.0, 2)).isEqualTo("100.00");
        assertThat(Percent.of(0.99617, 2)).isEqualTo("99.62");  // elsewhere rounded, as the published tables read
        assertThat(Percent.of(0.994750, 2)).isEqualTo("99.48"); // half up
        assertThat(Percent.of(0.994749, 2)).isEqualTo("99.47");
        assertThat(Percent.of(0.989949, 2)).isEqualTo("98.99");
        assertThat(Percent.of(0.29, 2)).isEqualTo("29.00");     // 0.29 x 100 = 28.999999999999996 in binary
        assertThat(Percent.of(0.977, 3)).isEqualTo("97.700");
        assertThat(Percent.of(0, 2)).isEqualTo("0.00");
        assertThat(Percent.of(Double.NaN, 2)).isEqualTo("-");
        assertThat(Percent.sign(0.99999, 2)).isEqualTo("99.99%");
        assertThat(Percent.sign(Double.NaN, 2)).isEqualTo("-");
    }
}
