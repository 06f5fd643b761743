package io.prescale.core.text;

/** Counts in words: "1 policy", "3 policies" ("Simulating 1 policies" read wrong). */
public final class Plural {
    private Plural() {}

    /** {@code n} and the noun in the number {@code n} takes: {@code count(1, "policy", "policies")} is "1 policy". */
    public static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
