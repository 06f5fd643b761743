package io.prescale.datasets.read;

/** Number parsing with row-level error messages that name the field and the text. */
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

    public static double finiteDouble(String text, String field) throws BadRowException {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRowException(field + " is not a number: '" + text + "'");
        }
        if (!Double.isFinite(v)) throw new BadRowException(field + " is not a finite number: '" + text + "'");
        return v;
    }

    public static double positiveDouble(String text, String field) throws BadRowException {
        double v = finiteDouble(text, field);
        if (!(v > 0)) throw new BadRowException(field + " must be positive, got " + text.trim());
        return v;
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
            throw new BadRowException(field + " is not a whole number: '" + text + "'");
        }
        if (v < 0) throw new BadRowException("negative " + field + ": " + text.trim());
        return v;
    }

    public static String nonEmpty(String text, String field) throws BadRowException {
        if (text == null || text.isBlank()) throw new BadRowException("empty " + field);
        return text.trim();
    }
}
