package io.prescale.simulator.report;

import io.prescale.policies.PolicyCatalog;

import java.awt.Color;
import java.util.List;

/**
 * One colour per policy, the same in every chart of every run and sweep: the policy's place in the catalog picks
 * it. JFreeChart's default palette coloured by series order, so a policy changed colour between a run's charts
 * (the demand line took the first colour in one of them) and drew pale yellow, unreadable on white.
 */
public final class PolicyColors {
    private PolicyColors() {}

    /** The demand line: drawn apart from every policy's capacity. */
    public static final Color DEMAND = Color.BLACK;

    /**
     * Dark enough to read as thin lines and small points on white (contrast 3:1 or more) and told apart from one
     * another, in the catalog's order: static.peak grey, reactive.hpa blue, reactive.knative orange, reactive.ray-serve
     * purple, keepalive.fixed brown, keepalive.hybrid-histogram magenta, predictive.headroom green, predictive.hybrid
     * teal, predictive.budget olive, predictive.aws-style navy, predictive.sageserve-style amber, oracle red.
     */
    static final List<Color> PALETTE = List.of(
            new Color(0x757575), new Color(0x1f77b4), new Color(0xd95f02), new Color(0x7b3fa0),
            new Color(0x8c564b), new Color(0xc51b7d), new Color(0x228b22), new Color(0x00838f),
            new Color(0x7a7a00), new Color(0x1a237e), new Color(0xa66a00), new Color(0xd62728));

    /** The colour of a policy id; an id outside the catalog (a test's own policy) still gets a stable one. */
    public static Color of(String policy) {
        int i = List.copyOf(PolicyCatalog.ids()).indexOf(policy);
        return i >= 0 ? ofIndex(i) : PALETTE.get(Math.floorMod(policy.hashCode(), PALETTE.size()));
    }

    /**
     * The colour of the catalog's {@code i}-th policy: the palette's, then (a policy added past it needs no colour
     * of its own) hues a golden angle apart at half brightness, dark enough to read on white.
     */
    static Color ofIndex(int i) {
        if (i < PALETTE.size()) return PALETTE.get(i);
        return Color.getHSBColor((float) (((i - PALETTE.size()) * 0.6180339887) % 1.0), 0.85f, 0.5f);
    }
}
