package io.prescale.core.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An attainment as a percentage cut, not rounded, to its decimals: rounded, 99.999 % read "100.00%" (every request
 * met) and 98.996 % read "99.00%" beside a flag saying it missed the 99 % target. Cut, a figure never reads better
 * than it is, and a value shown as meeting a target does.
 */
public final class Percent {
    private Percent() {}

    /** {@code fraction} x 100 to {@code decimals} places, cut towards zero: {@code of(0.99999, 2)} is "99.99". NaN: "-". */
    public static String of(double fraction, int decimals) {
        if (Double.isNaN(fraction)) return "-";
        if (Double.isInfinite(fraction)) return String.valueOf(fraction);
        // BigDecimal of the double's shortest text: 0.29 x 100 is 28.999999999999996 in binary, and must read 29.00
        return new BigDecimal(Double.toString(fraction)).movePointRight(2).setScale(decimals, RoundingMode.DOWN).toPlainString();
    }

    /** {@link #of} with its sign, "99.99%"; NaN (nothing to measure): "-". */
    public static String sign(double fraction, int decimals) {
        return Double.isNaN(fraction) ? "-" : of(fraction, decimals) + "%";
    }
}
