package io.prescale.simulator.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a policy's note says about who was short. {@code predictive.budget} notes each tick its cap binds
 * as {@code budget 120.0 USD/h binds; short: m-mid -1 m-small -2} (the replicas each model wanted and the cap
 * held back); the simulator accumulates them per model as the budget shortfall.
 */
public final class PolicyNotes {
    private static final Pattern SHORT = Pattern.compile("(\\S+) -(\\d+)");

    private PolicyNotes() {}

    /** Model → replicas held back, from the part of {@code note} after {@code short:}; empty when there is none. */
    public static Map<String, Integer> shortOf(String note) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (note == null) return out;
        int at = note.lastIndexOf("short:");
        if (at < 0) return out;
        Matcher m = SHORT.matcher(note.substring(at + "short:".length()));
        while (m.find()) out.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
        return out;
    }
}
