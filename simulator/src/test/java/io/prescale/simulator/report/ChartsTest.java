package io.prescale.simulator.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tick labels of the log axes read as plain numbers to two significant digits. */
class ChartsTest {

    @Test
    void logTicksAreLabelledToTwoSignificantDigits() {
        Charts.TwoSignificantDigits f = new Charts.TwoSignificantDigits();
        // ticks fall at powers of 10^0.1: 10^3.8 = 6,309.57..., 10^3.1 = 1,258.93..., 10^2.7 = 501.19..., 10^-0.6 = 0.2512...
        assertThat(f.format(Math.pow(10, 3.8))).isEqualTo("6,300");
        assertThat(f.format(Math.pow(10, 3.1))).isEqualTo("1,300");
        assertThat(f.format(Math.pow(10, 2.7))).isEqualTo("500");
        assertThat(f.format(Math.pow(10, -0.6))).isEqualTo("0.25");
        assertThat(f.format(1000.0)).isEqualTo("1,000");
        assertThat(f.format(0.0)).isEqualTo("0");
        assertThat(f.format(12L)).isEqualTo("12");
    }
}
