package io.prescale.core.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human durations in configs and flags: "300s", "5m", "1.5h", "2d", "250ms", "200us", compounds such as "7d12h"
 * or "1m30s", ISO "PT5M", or bare seconds. What a user types goes through {@link #requireUnit} first: a bare number
 * other than 0 is refused there (flags, experiment files, policy params, catalogs, and every duration field the
 * project's mappers bind, {@link Yaml}).
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s|m|h|d|w)?");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(us|ms|s|m|h|d|w)");
    /** Two or more unit-suffixed parts, largest unit first by convention (not enforced): "7d12h", "1h30m". */
    private static final Pattern COMPOUND = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:us|ms|s|m|h|d|w)){2,}");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim();
        if (text.length() > 200) text = text.substring(0, 60) + "... (" + text.length() + " characters)"; // for messages only
        if (s.startsWith("P") || s.startsWith("p")) {
            Duration d;
            try {
                d = Duration.parse(s.toUpperCase());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
            try {
                d.toNanos(); // every user of a duration counts in nanoseconds
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(TOO_LONG + ": '" + text + "'");
            }
            return d;
        }
        // decimal arithmetic: what format writes ("7884000001.000000007s") reads back to the nanosecond
        BigDecimal nanos = BigDecimal.ZERO;
        if (COMPOUND.matcher(s).matches()) {
            Matcher part = PART.matcher(s);
            while (part.find()) nanos = nanos.add(nanos(part.group(1), part.group(2)));
        } else {
            Matcher m = SIMPLE.matcher(s);
            if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 300s, 5m, 2h, 1d, 7d12h, PT5M)");
            nanos = nanos(m.group(1), m.group(2) == null ? "s" : m.group(2));
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(TOO_LONG + ": '" + text + "'");
        }
    }

    private static BigDecimal nanos(String number, String unit) {
        // BigDecimal's cost grows with the digits: a number no duration needs is refused before it is built
        if (number.length() > 40) throw new IllegalArgumentException(TOO_LONG + ": a number of " + number.length() + " digits");
        long perUnit = switch (unit) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            case "w" -> 7 * 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
        return new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit));
    }

    private static final Pattern BARE = Pattern.compile("-?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

    /**
     * A duration typed on the command line: as {@link #parse}, but a bare number other than 0 is refused ("--horizon 30"
     * is as likely meant in minutes as in seconds), as policy params in files are ({@link ParamBinder}). Errors name
     * {@code option}.
     */
    public static Duration parseOption(String option, String text) {
        requireUnit(option, text);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option, e.getMessage());
        }
    }

    /** Refuses a bare number other than 0 for {@code option}: "--from: '2' has no unit: write 2s, 2m, 2h or 2d". */
    public static void requireUnit(String option, String text) {
        if (hasNoUnit(text)) throw new ConfigException(option, noUnit(text));
    }

    /** Whether {@code text} is a bare number other than 0 ("30", "1.5"): seconds? minutes? Only 0 is the same in every unit. */
    public static boolean hasNoUnit(String text) {
        String s = text.trim();
        return BARE.matcher(s).matches() && Double.parseDouble(s) != 0;
    }

    /** What is wrong with a bare number: "'2' has no unit: write 2s, 2m, 2h or 2d". */
    static String noUnit(String text) {
        String s = text.trim();
        return "'" + s + "' has no unit: write " + s + "s, " + s + "m, " + s + "h or " + s + "d";
    }

    /** Whether {@code text} is a duration in this class's unit forms (not ISO): "36h", "7d12h", "90". */
    public static boolean isUnitForm(String text) {
        String s = text.trim();
        return SIMPLE.matcher(s).matches() || COMPOUND.matcher(s).matches();
    }

    private static final String TOO_LONG = "duration out of range (at most about 292 years)";

    public static Duration ofSeconds(double seconds) {
        double nanos = seconds * 1e9;
        // Math.round would saturate silently: a duration past what a long counts in nanoseconds is an error
        if (!(Math.abs(nanos) < 0x1p63)) throw new IllegalArgumentException(TOO_LONG + ": " + seconds + " s");
        return Duration.ofNanos(Math.round(nanos));
    }

    public static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /**
     * Shortest readable form that {@link #parse} reads back to the same nanosecond: "15s", "5m", "2h", "1.5s",
     * "0.0005s" (never an exponent: states on disk are written with this and must load again).
     */
    public static String format(Duration d) {
        long n = d.toNanos();
        long second = 1_000_000_000L;
        if (n != 0 && n % (86400 * second) == 0) return n / (86400 * second) + "d";
        if (n != 0 && n % (3600 * second) == 0) return n / (3600 * second) + "h";
        if (n != 0 && n % (60 * second) == 0) return n / (60 * second) + "m";
        return BigDecimal.valueOf(n, 9).stripTrailingZeros().toPlainString() + "s";
    }
}
