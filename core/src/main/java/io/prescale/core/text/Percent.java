package io.prescale.core.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An attainment as a percentage to its decimals, rounded half up, except that it never rounds up onto a whole
 * percent it does not reach: 99.999 % reads "99.99%", not "100.00%" (every request met), and 98.996 % reads
 * "98.99%", not "99.00%" beside a flag saying it missed the 99 % target. Every other value reads as rounded.
 */
public final class Percent {
    private Percent() {}

    /** {@code fraction} x 100 to {@code decimals} places: {@code of(0.99617, 2)} is "99.62", {@code of(0.99999, 2)} "99.99". NaN: "-". */
    public static String of(double fraction, int decimals) {
        if (Double.isNaN(fraction)) return "-";
        if (Double.isInfinite(fraction)) return String.valueOf(fraction);
        // BigDecimal of the double's shortest text: 0.29 x 100 is 28.999999999999996 in binary, and must read 29.00
        BigDecimal pct = new BigDecimal(Double.toString(fraction)).movePointRight(2);
        BigDecimal rounded = pct.setScale(decimals, RoundingMode.HALF_UP);
        boolean upOntoWhole = rounded.compareTo(pct) > 0 && rounded.stripTrailingZeros().scale() <= 0;
        return (upOntoWhole ? pct.setScale(decimals, RoundingMode.DOWN) : rounded).toPlainString();
    }

    /** {@link #of} with its sign, "99.99%"; NaN (nothing to measure): "-". */
    public static String sign(double fraction, int decimals) {
        return Double.isNaN(fraction) ? "-" : of(fraction, decimals) + "%";
    }
}
