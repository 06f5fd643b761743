package io.prescale.simulator.sweep;

import io.prescale.simulator.sweep.ExperimentSpec.At;
import io.prescale.simulator.sweep.ExperimentSpec.Window;

import java.util.Map;

/**
 * One run of a sweep: a policy with its param overrides in one context. {@code arm} names the policy
 * configuration ({@code predictive.hybrid{quantile=0.5,maxUtilization=0.9}}) and is the same in every
 * context; {@code label} is unique in the sweep (the arm, plus the context axes that vary).
 */
public record Scenario(int index, String label, String arm, Context context, String policy, Map<String, Object> params,
                       String path) {

    public Scenario {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /** Everything but the policy: scenarios with equal contexts share one loaded trace and simulation setup. */
    public record Context(At<String> trace, Window window, At<String> catalog, At<String> sharing, At<String> packer,
                          At<Boolean> consolidate, At<Double> rateScale, At<Long> seed) {

        /** The context as a short label, e.g. {@code trace=servegen, window=7d..9d}; {@code varying} picks the axes shown. */
        String label(Axes varying) {
            StringBuilder b = new StringBuilder();
            if (varying.trace) add(b, "trace", trace.value());
            if (varying.window) add(b, "window", window.label());
            if (varying.catalog) add(b, "catalog", catalog.value() == null ? "shipped" : varying.catalogName(catalog.value()));
            if (varying.sharing) add(b, "sharing", sharing.value() == null ? "as catalog" : sharing.value());
            if (varying.packer) add(b, "packer", packer.value());
            if (varying.consolidate) add(b, "consolidate", consolidate.value().toString());
            if (varying.rateScale) add(b, "rateScale", ExperimentSpec.trim(rateScale.value()));
            if (varying.seed) add(b, "seed", Long.toString(seed.value()));
            return b.toString();
        }

        private static void add(StringBuilder b, String k, String v) {
            if (!b.isEmpty()) b.append(", ");
            b.append(k).append('=').append(v);
        }

        /** Value equality, ignoring where in the spec a value came from. */
        Object key() {
            return java.util.List.of(trace.value(), String.valueOf(window.from().value()), String.valueOf(window.to().value()),
                    String.valueOf(catalog.value()), String.valueOf(sharing.value()), packer.value(), consolidate.value(), rateScale.value(), seed.value());
        }
    }

    /**
     * Which context axes have more than one value; {@code catalogs}: the catalog files swept, labelled by their file name,
     * or by as many of their last folders as tell them apart ({@code a/models.yaml}, {@code b/models.yaml}).
     */
    record Axes(boolean trace, boolean window, boolean catalog, boolean sharing, boolean packer, boolean consolidate, boolean rateScale,
                boolean seed, java.util.List<String> catalogs) {
        boolean any() {
            return trace || window || catalog || sharing || packer || consolidate || rateScale || seed;
        }

        /** The shortest tail of {@code file}'s path that no other catalog of the sweep ends with. */
        String catalogName(String file) {
            java.nio.file.Path p = java.nio.file.Path.of(file);
            for (int n = 1; n < p.getNameCount(); n++) {
                java.nio.file.Path tail = p.subpath(p.getNameCount() - n, p.getNameCount());
                boolean unique = true;
                for (String other : catalogs)
                    if (other != null && !other.equals(file) && java.nio.file.Path.of(other).endsWith(tail)) unique = false;
                if (unique) return tail.toString();
            }
            return file;
        }
    }
}
