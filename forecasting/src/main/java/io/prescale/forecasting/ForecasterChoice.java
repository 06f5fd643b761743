package io.prescale.forecasting;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Yaml;
import io.prescale.core.forecast.Forecaster;
import io.prescale.forecasting.artifact.Artifacts;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The forecaster the predictive policies run with, the same in the simulator, a sweep and the live runner (so a
 * winning policy runs live with what it won with): none for the reactive baselines, ARIMA for the SageServe-style
 * baseline (as in its paper), and for Prescale's predictive policies this choice, Holt-Winters unless one is named.
 * Counts per 10 minutes. Written {@code id} or {@code id:key=value,key=value}, e.g.
 * {@code gbt:artifact=models/gbt-servegen.json}: how a forecaster trained by {@code prescale forecast train}
 * reaches the policies.
 */
public record ForecasterChoice(String id, Map<String, Object> params) implements Function<String, Forecaster>, Serializable {
    public static final Duration INTERVAL = Duration.ofMinutes(10);
    public static final ForecasterChoice DEFAULT = new ForecasterChoice("holt-winters", Map.of());

    public ForecasterChoice {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The parameters that name files (a trained artifact, an event calendar). */
    public static final java.util.Set<String> FILE_PARAMS = java.util.Set.of("artifact", "gbtArtifact", "events");

    /** Parses {@code id[:key=value,...]} and builds it once, so that a bad param or file fails now. Errors name {@code field}. */
    public static ForecasterChoice parse(String spec, String field) {
        ForecasterChoice c = read(spec, field);
        c.create(field); // fail now, naming the flag, not at the first policy
        return c;
    }

    /** Parses {@code id[:key=value,...]} without opening anything; values are read as YAML scalars. */
    public static ForecasterChoice read(String spec, String field) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        String id = colon < 0 ? s : s.substring(0, colon).strip();
        if (!ForecasterCatalog.ids().contains(id))
            throw new ConfigException(field, "unknown forecaster '" + id + "'" + io.prescale.core.config.DidYouMean.suffix(id, ForecasterCatalog.ids())
                    + " (known: " + String.join(", ", ForecasterCatalog.ids()) + ")");
        Map<String, Object> params = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String kv : s.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new ConfigException(field, "'" + kv.strip() + "' is not key=value (as in gbt:artifact=models/gbt.json)");
                String value = kv.substring(eq + 1).strip();
                try {
                    params.put(kv.substring(0, eq).strip(), value.isEmpty() ? "" : Yaml.yaml().readValue(value, Object.class));
                } catch (IOException e) {
                    params.put(kv.substring(0, eq).strip(), value);
                }
            }
        }
        return new ForecasterChoice(id, params);
    }

    /**
     * The same choice with each file parameter passed through {@code resolve} (which may refuse it), then built once:
     * how the live runner keeps a policy file's files inside its model store.
     */
    public ForecasterChoice withFiles(java.util.function.UnaryOperator<String> resolve, String field) {
        ForecasterChoice c = resolvingFiles(resolve, field);
        c.create(field);
        return c;
    }

    /** The same choice with each file parameter passed through {@code resolve} (which may refuse it); builds nothing. */
    public ForecasterChoice resolvingFiles(java.util.function.UnaryOperator<String> resolve, String field) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        for (String k : FILE_PARAMS) {
            Object v = p.get(k);
            if (v == null) continue;
            try {
                p.put(k, resolve.apply(v.toString()));
            } catch (ConfigException e) {
                throw new ConfigException(field + "." + k, e.reason());
            }
        }
        return new ForecasterChoice(id, p);
    }

    @Override
    public Forecaster apply(String policyId) {
        return forPolicy(policyId);
    }

    /** The forecaster {@code policyId} runs with. */
    public Forecaster forPolicy(String policyId) {
        if (!policyId.startsWith("predictive.")) return Forecaster.none();
        if (!appliesTo(policyId)) return ForecasterCatalog.create("arima", INTERVAL);
        return create("forecaster");
    }

    /**
     * The forecaster {@code policyId} runs with, this choice built exactly once (a trained artifact read once): its
     * mistakes fail here, naming {@code field}, even for a policy that runs without it (a reactive one, SageServe-style).
     */
    public Forecaster build(String policyId, String field) {
        Forecaster own = create(field);
        return appliesTo(policyId) ? own : forPolicy(policyId);
    }

    /** Whether {@code policyId} runs with this choice: Prescale's predictive policies, not SageServe-style's own ARIMA. */
    public static boolean appliesTo(String policyId) {
        return policyId.startsWith("predictive.") && !policyId.equals("predictive.sageserve-style");
    }

    private Forecaster create(String field) {
        try {
            return ForecasterCatalog.create(id, INTERVAL, params);
        } catch (ConfigException e) {
            throw new ConfigException(field, e.getMessage());
        }
    }

    /**
     * The latest data the choice's trained artifact saw, if it names one: a simulation must start after it, or its
     * forecasts would have seen the demand they are scored on.
     */
    public Optional<Instant> trainedUntil() {
        Object a = params.get("artifact");
        if (a == null) a = params.get("gbtArtifact");
        if (a == null || !Files.isRegularFile(Path.of(a.toString()))) return Optional.empty();
        return Artifacts.trainedUntil(Path.of(a.toString())).values().stream().max(Instant::compareTo);
    }

    /** Refuses a trained artifact that saw data at or after {@code from}, naming {@code field}. */
    public void requireTrainedBefore(Instant from, String field) {
        trainedUntil().filter(t -> t.isAfter(from)).ifPresent(t -> {
            throw new ConfigException(field, "its artifact was trained on data up to " + t + ", after the start of the scored window ("
                    + from + "): forecasts must not see the demand they are scored on (forecast train --to)");
        });
    }

    @Override
    public String toString() {
        if (params.isEmpty()) return id;
        java.util.StringJoiner kv = new java.util.StringJoiner(",", id + ":", "");
        params.forEach((k, v) -> kv.add(k + "=" + v));
        return kv.toString();
    }
}
