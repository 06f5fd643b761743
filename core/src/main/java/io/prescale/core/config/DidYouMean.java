package io.prescale.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The suggestion for a misspelt name (a key, a trace, a series): the known name a typo or two away, case aside.
 * One rule for every message that says "did you mean", so a key, a trace name and a series are suggested alike.
 */
public final class DidYouMean {
    private DidYouMean() {}

    /**
     * The known name closest to {@code typed}, if it is close enough to be a typo: at most two edits (a swap of two
     * neighbouring letters is one), and at most one per three letters typed, so that a short word is not "corrected"
     * into an unrelated one ({@code "to"} is not a typo of {@code "id"}). Case is ignored; the first of equally close
     * names wins.
     */
    public static Optional<String> closest(String typed, Collection<String> known) {
        if (typed == null || typed.isEmpty()) return Optional.empty();
        String t = typed.toLowerCase(Locale.ROOT);
        int allowed = Math.min(2, Math.max(t.length() / 3, t.length() >= 2 ? 1 : 0));
        String best = null;
        int bestDistance = allowed + 1;
        for (String k : known) {
            if (k.equals(typed)) return Optional.empty(); // not misspelt
            int d = distance(t, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code ", did you mean NAME?"} when a known name is close to {@code typed} (see {@link #closest}), else {@code ""}. */
    public static String suffix(String typed, Collection<String> known) {
        return closest(typed, known).map(c -> ", did you mean " + c + "?").orElse("");
    }

    /** {@code "unknown key, did you mean maxBatch? (known: a, b, c)"}: the known keys listed in the order given. */
    public static String unknownKey(String key, Collection<String> known) {
        return "unknown key" + suffix(key, known) + " (known: " + String.join(", ", known) + ")";
    }

    /** Edits between {@code a} and {@code b}: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
        return d[a.length()][b.length()];
    }
}
