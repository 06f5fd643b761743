package io.prescale.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations in configs and flags: "300s", "5m", "1.5h", "2d", "250ms", "200us", ISO "PT5M", or bare seconds. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s|m|h|d|w)?");

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
        Matcher m = SIMPLE.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 300s, 5m, 2h, 1d, PT5M)");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double seconds = switch (unit) {
            case "us" -> v / 1e6;
            case "ms" -> v / 1000;
            case "s" -> v;
            case "m" -> v * 60;
            case "h" -> v * 3600;
            case "d" -> v * 86400;
            case "w" -> v * 7 * 86400;
            default -> throw new IllegalArgumentException("unit " + unit);
        };
        return ofSeconds(seconds);
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
