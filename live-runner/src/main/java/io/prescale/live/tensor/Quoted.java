package io.prescale.live.tensor;

/** A client's text quoted in a reason: whole when short, else its start and its length (a reason never echoes a megabyte). */
public final class Quoted {
    /** Longer than any name the runner knows (model names stop at 64 characters). */
    static final int MAX = 80;

    private Quoted() {}

    public static String of(String s) {
        if (s.length() <= MAX) return "'" + s + "'";
        return "'" + s.substring(0, MAX) + "...' (" + s.length() + " characters)";
    }

    /** A JSON value the client sent, as JSON text ({@code 5}, {@code ["FP32"]}, {@code "yes"}), cut as {@link #of} cuts text. */
    public static String json(Object node) {
        String s = String.valueOf(node);
        return s.length() <= MAX ? s : s.substring(0, MAX) + "... (" + s.length() + " characters)";
    }
}
