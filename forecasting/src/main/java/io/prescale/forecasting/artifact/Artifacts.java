package io.prescale.forecasting.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes the portable model artifacts (JSON, one file per model, versioned by a
 * {@code schema} tag and a {@code version}). Durations are ISO-8601 ("PT10M"), instants ISO.
 */
public final class Artifacts {
    private Artifacts() {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static ObjectMapper mapper() {
        return JSON;
    }

    public static GbtArtifact readGbt(Path file) {
        GbtArtifact a = read(file, GbtArtifact.SCHEMA, GbtArtifact.class);
        require(file, "interval", a.interval());
        require(file, "features", a.features());
        require(file, "trees", a.trees());
        require(file, "trainedUntil", a.trainedUntil());   // what the look-ahead checks read
        // a NaN leaf ("NaN" in quotes reads as one) gave NaN forecasts, and they ran
        if (a.maxSteps() < 1) invalid(file, "'maxSteps' must be >= 1, got " + a.maxSteps());
        for (int i = 0; i < a.trees().size(); i++) {
            GbtArtifact.Tree t = a.trees().get(i);
            String at = "trees[" + i + "].";
            require(file, "trees[" + i + "]", t);
            require(file, at + "feature", t.feature());
            require(file, at + "threshold", t.threshold());
            require(file, at + "left", t.left());
            require(file, at + "right", t.right());
            require(file, at + "value", t.value());
            if (!Double.isFinite(t.weight())) invalid(file, at + "weight is " + t.weight() + ", not a finite number");
            finite(file, at + "threshold", t.threshold());
            finite(file, at + "value", t.value());
        }
        return a;
    }

    public static ProphetArtifact readProphet(Path file) {
        ProphetArtifact a = read(file, ProphetArtifact.SCHEMA, ProphetArtifact.class);
        require(file, "interval", a.interval());
        require(file, "series", a.series());
        a.series().forEach((name, s) -> {
            String at = "series." + name;
            require(file, at, s);
            require(file, at + ".origin", s.origin());
            require(file, at + ".changepointDays", s.changepointDays());
            require(file, at + ".features", s.features());
            require(file, at + ".coefficients", s.coefficients());
            finite(file, at + ".changepointDays", s.changepointDays());
            finite(file, at + ".coefficients", s.coefficients());
        });
        return a;
    }

    /** A field a hand-edited or truncated artifact may lack: named with the file, rather than failing later on a null. */
    private static void require(Path file, String field, Object value) {
        if (value == null) invalid(file, "'" + field + "' is missing");
    }

    /** Every number of {@code field} finite: a NaN or infinite coefficient forecast NaN or infinity without a word. */
    private static void finite(Path file, String field, double[] values) {
        for (int i = 0; i < values.length; i++)
            if (!Double.isFinite(values[i])) invalid(file, field + "[" + i + "] is " + values[i] + ", not a finite number");
    }

    private static void invalid(Path file, String what) {
        throw new IllegalArgumentException(file + ": not a valid artifact: " + what);
    }

    /**
     * Why an artifact of another interval is refused, and how to get one that fits: the interval it was trained at,
     * the one the forecaster runs at, and the {@code forecast train} flag that trains at it.
     */
    public static String intervalMismatch(String file, java.time.Duration trained, java.time.Duration runs) {
        String at = io.prescale.core.config.Durations.format(runs);
        return file + ": artifact was trained on " + io.prescale.core.config.Durations.format(trained) + " intervals, this forecaster runs on "
                + at + " ones" + (runs.equals(io.prescale.forecasting.ForecasterChoice.INTERVAL) ? " (as simulate, sweep and serve run them)" : "")
                + ": train it with prescale forecast train --interval " + at;
    }

    public static void write(Path file, Object artifact) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), artifact);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + file, e);
        }
    }

    /** Artifact files read whole in this process: a trained model is large, and a server should read it once per change. */
    private static final java.util.concurrent.atomic.LongAdder READS = new java.util.concurrent.atomic.LongAdder();

    public static long reads() {
        return READS.sum();
    }

    private static <T> T read(Path file, String schema, Class<T> type) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": artifact not found (train one with: prescale forecast train)");
        try {
            READS.increment();
            JsonNode root = JSON.readTree(file.toFile());
            String found = root.path("schema").asText("");
            if (!found.equals(schema)) throw new IllegalArgumentException(file + ": schema is '" + found + "', expected '" + schema + "'");
            return JSON.treeToValue(root, type);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            // one line naming the field ("interval: 'banana' is not ..."), not Jackson's class names and "at [Source: ...]" line
            String at = io.prescale.core.config.BindingErrors.path(e);
            throw new IllegalArgumentException(file + ": not a valid " + schema + " artifact: " + (at.isEmpty() ? "" : at + ": ")
                    + oneLine(io.prescale.core.config.BindingErrors.reason(e)), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not a valid " + schema + " artifact: " + io.prescale.core.config.Yaml.syntaxError(e), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a valid " + schema + " artifact: " + e.getMessage(), e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }

    /**
     * Per series, the end of the data a gbt or prophet-style artifact was trained on; empty for a file that is not a
     * readable artifact (its forecaster's own loader reports that).
     */
    public static java.util.Map<String, java.time.Instant> trainedUntil(Path file) {
        String schema;
        try {
            schema = mapper().readTree(file.toFile()).path("schema").asText();
        } catch (java.io.IOException e) {
            return java.util.Map.of();
        }
        java.util.Map<String, java.time.Instant> out = new java.util.TreeMap<>();
        if (schema.equals(GbtArtifact.SCHEMA)) out.putAll(readGbt(file).trainedUntil());
        if (schema.equals(ProphetArtifact.SCHEMA))
            readProphet(file).series().forEach((name, s) -> { if (s.trainedUntil() != null) out.put(name, s.trainedUntil()); });
        return out;
    }
}
