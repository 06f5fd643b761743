package io.prescale.simulator.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeseriesCsvTest {

    @Test
    void numbersKeepSixSignificantDigitsInTheirShortestForm() {
        assertThat(TimeseriesCsv.num(0.995)).isEqualTo("0.995");
        assertThat(TimeseriesCsv.num(1.0)).isEqualTo("1.0");
        assertThat(TimeseriesCsv.num(1234.5)).isEqualTo("1234.5");
        // 2/3 = 0.666666666..., the sixth digit rounded up
        assertThat(TimeseriesCsv.num(2.0 / 3)).isEqualTo("0.666667");
        assertThat(TimeseriesCsv.num(-2.0 / 3)).isEqualTo("-0.666667");
        // 12,345,678 to six digits is 12,345,700
        assertThat(TimeseriesCsv.num(12_345_678)).isEqualTo("1.23457E7");
        // 0.000123456789 to six digits is 0.000123457
        assertThat(TimeseriesCsv.num(0.000123456789)).isEqualTo("1.23457E-4");
        assertThat(TimeseriesCsv.num(0.0)).isEqualTo("0.0");
        assertThat(TimeseriesCsv.num(Double.NaN)).isEmpty();
        assertThat(TimeseriesCsv.num(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(TimeseriesCsv.num(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
    }

    @Test
    void everyNumberReadsBackWithinHalfAUnitOfItsSixthDigit() {
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            double v = Math.pow(10, rnd.nextDouble() * 20 - 10) * (rnd.nextBoolean() ? 1 : -1);
            double back = Double.parseDouble(TimeseriesCsv.num(v));
            // six significant digits: |error| <= half of 10^(exponent - 5), relative at most 5e-6 (+ rounding slack)
            assertThat(Math.abs(back - v)).as("%s -> %s", v, back).isLessThanOrEqualTo(5.0000001e-6 * Math.abs(v));
        }
    }
}
