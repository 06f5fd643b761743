package io.prescale.datasets.read;

/**
 * Number parsing with row-level error messages that name the field and the text; the text is shown with its control
 * characters escaped ({@link #shown}), so a row cannot move the cursor or recolour the terminal its error lands on.
 */
public final class Fields {
    private Fields() {}

    public static double nonNegativeDouble(String text, String field) throws BadRowException {
        double v = finiteDouble(text, field);
        if (v < 0) throw new BadRowException("negative " + field + ": " + text.trim());
        return v;
    }

    /** NaN for an empty cell, otherwise a non-negative number. */
    public static double optionalNonNegativeDouble(String text, String field) throws BadRowException {
        return text == null || text.isBlank() ? Double.NaN : nonNegativeDouble(text, field);
    }

    /**
     * NaN for an empty cell, otherwise a request's service time in seconds: non-negative and no longer than a time span
     * holds (about 292 years). 1e39 s was read, became an infinite float in the simulator and printed its utilisation as NaN%.
     */
    public static double optionalServiceSeconds(String text, String field) throws BadRowException {
        double v = optionalNonNegativeDouble(text, field);
        if (v * 1e9 >= 0x1p63) throw new BadRowException(field + " out of range: " + text.trim() + " s (at most about 292 years)");
        return v;
    }

    public static double finiteDouble(String text, String field) throws BadRowException {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRowException(field + " is not a number: '" + shown(text) + "'");
        }
        if (!Double.isFinite(v)) throw new BadRowException(field + " is not a finite number: '" + shown(text) + "'");
        return v;
    }

    public static double positiveDouble(String text, String field) throws BadRowException {
        double v = finiteDouble(text, field);
        if (!(v > 0)) throw new BadRowException(field + " must be positive, got " + text.trim());
        return v;
    }

    /**
     * A positive length in seconds as a duration: 1e-10 passed {@link #positiveDouble} and rounded to a zero-length interval,
     * which no later interval of its model could overlap (two rows of one model at one start were both read).
     */
    public static java.time.Duration positiveSeconds(String text, String field) throws BadRowException {
        java.time.Duration d = io.prescale.core.config.Durations.ofSeconds(positiveDouble(text, field));
        if (d.isZero()) throw new BadRowException(field + " is shorter than a nanosecond: " + text.trim());
        return d;
    }

    /**
     * The requests of an interval, {@code rate × seconds}: finite. A rate of 1e306 req/s over 600 s was read as an infinite
     * count, which {@code prescale traces} printed as "InfinityG requests".
     */
    public static double countOf(double rate, double seconds, String rateField) throws BadRowException {
        double count = rate * seconds;
        if (!Double.isFinite(count)) throw new BadRowException(rateField + " " + rate + " over " + seconds + " s is more requests than a number holds");
        return count;
    }

    public static int nonNegativeInt(String text, String field) throws BadRowException {
        long v = nonNegativeLong(text, field);
        if (v > Integer.MAX_VALUE) throw new BadRowException(field + " is too large: " + text.trim());
        return (int) v;
    }

    /** -1 (the core convention for "absent") for an empty cell, otherwise a non-negative int. */
    public static int optionalNonNegativeInt(String text, String field) throws BadRowException {
        return text == null || text.isBlank() ? -1 : nonNegativeInt(text, field);
    }

    public static long nonNegativeLong(String text, String field) throws BadRowException {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            // 20 digits are a whole number, only one a long cannot hold: say so rather than "is not a whole number"
            if (text.trim().matches("[0-9]+")) throw new BadRowException(field + " is too large: " + text.trim());
            throw new BadRowException(field + " is not a whole number: '" + shown(text) + "'");
        }
        if (v < 0) throw new BadRowException("negative " + field + ": " + text.trim());
        return v;
    }

    public static String nonEmpty(String text, String field) throws BadRowException {
        if (text == null || text.isBlank()) throw new BadRowException("empty " + field);
        return text.trim();
    }

    /**
     * A model name: non-empty and free of control characters. It names rows of CSV outputs, lines of the terminal's
     * tables and chart legends, where an escape sequence or a line break would be acted on or split a line.
     */
    public static String modelName(String text, String field) throws BadRowException {
        String name = nonEmpty(text, field);
        int at = firstControl(name);
        if (at >= 0)
            throw new BadRowException(field + " holds a control character (" + String.format("U+%04X", (int) name.charAt(at)) + "): '" + shown(name) + "'");
        return name;
    }

    /** {@code text} with each control character written as a Java escape (ESC as backslash-u001B), for error messages. */
    public static String shown(String text) {
        if (text == null || firstControl(text) < 0) return text;
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) b.append(String.format("\\u%04X", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    private static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isISOControl(s.charAt(i))) return i;
        return -1;
    }
}
