package io.prescale.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human durations in configs and flags: "300s", "5m", "1.5h", "2d", "250ms", "200us", compounds such as "7d12h"
 * or "1m30s", ISO "PT5M", or bare seconds.
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s|m|h|d|w)?");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(us|ms|s|m|h|d|w)");
    /** Two or more unit-suffixed parts, largest unit first by convention (not enforced): "7d12h", "1h30m". */
    private static final Pattern COMPOUND = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:us|ms|s|m|h|d|w)){2,}");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
        }
        if (COMPOUND.matcher(s).matches()) {
            double seconds = 0;
            Matcher part = PART.matcher(s);
            while (part.find()) seconds += seconds(Double.parseDouble(part.group(1)), part.group(2));
            return ofSeconds(seconds);
        }
        Matcher m = SIMPLE.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 300s, 5m, 2h, 1d, 7d12h, PT5M)");
        return ofSeconds(seconds(Double.parseDouble(m.group(1)), m.group(2) == null ? "s" : m.group(2)));
    }

    /** Whether {@code text} is a duration in this class's unit forms (not ISO): "36h", "7d12h", "90". */
    public static boolean isUnitForm(String text) {
        String s = text.trim();
        return SIMPLE.matcher(s).matches() || COMPOUND.matcher(s).matches();
    }

    private static double seconds(double v, String unit) {
        return switch (unit) {
            case "us" -> v / 1e6;
            case "ms" -> v / 1000;
            case "s" -> v;
            case "m" -> v * 60;
            case "h" -> v * 3600;
            case "d" -> v * 86400;
            case "w" -> v * 7 * 86400;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    public static Duration ofSeconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    public static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Shortest readable form: "15s", "5m", "2h", "1.5s". */
    public static String format(Duration d) {
        double s = seconds(d);
        if (s != 0 && s % 86400 == 0) return (long) (s / 86400) + "d";
        if (s != 0 && s % 3600 == 0) return (long) (s / 3600) + "h";
        if (s != 0 && s % 60 == 0) return (long) (s / 60) + "m";
        if (s == Math.rint(s)) return (long) s + "s";
        return s + "s";
    }
}
