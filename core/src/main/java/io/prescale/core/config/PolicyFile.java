package io.prescale.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scaling policy as a file: what a sweep writes as {@code winner.yaml}, what {@code /policies} stores
 * and what the live runner activates. YAML or JSON:
 * <pre>
 * schema: prescale.policy/v1
 * name: winner
 * policy: reactive.hpa
 * params: {targetUtilization: 0.6}
 * objective: least GPU-hours with SLO attainment >= 0.99   # optional, for people
 * forecaster: gbt:artifact=models/gbt.json                  # optional: the predictive policies' forecaster
 * </pre>
 * Without {@code forecaster} a predictive policy runs with the default (Holt-Winters), as a sweep without
 * {@code --forecaster} ran it; a sweep run with one writes it here, so its winner runs live as it won.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyFile(String schema, String name, String policy, Map<String, Object> params, String objective, String forecaster) {
    public static final String SCHEMA = "prescale.policy/v1";
    /** A policy's name is also a file name in the runner's state (and names a sweep's winner): no leading dot, at most 128. */
    public static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    public PolicyFile {
        if (schema == null) schema = SCHEMA;
        if (!SCHEMA.equals(schema)) throw new ConfigException("schema", "expected " + SCHEMA + ", got " + schema);
        if (name == null || name.isBlank()) throw new ConfigException("name", "missing");
        requireValidName(name);
        if (policy == null || policy.isBlank()) throw new ConfigException("policy", "missing (a policy id such as reactive.hpa)");
        params = params == null ? Map.of() : new LinkedHashMap<>(params);
        if (forecaster != null && forecaster.isBlank()) forecaster = null;
    }

    /** Throws a ConfigException naming {@code name} unless it follows {@link #NAME_RULE}. */
    public static void requireValidName(String name) {
        if (!name.matches(NAME_RULE))
            throw new ConfigException("name", "use letters, digits, '.', '_' or '-' only, starting with a letter or digit, at most 128");
    }

    /** A policy file with the default forecaster. */
    public PolicyFile(String schema, String name, String policy, Map<String, Object> params, String objective) {
        this(schema, name, policy, params, objective, null);
    }

    public static PolicyFile read(Path file) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Yaml.yaml().readTree(file.toFile());
            if (tree == null || !tree.isObject()) throw new ConfigException(file.toString(), "empty, or not a mapping of schema, name, policy, params");
            String schema = tree.path("schema").asText();
            // an experiment given where a policy goes read "objective: want text", from the binding of its fields
            if (schema.equals("prescale.experiment/v1"))
                throw new ConfigException(file + ": schema", "an experiment, not a policy file (" + SCHEMA
                        + "): prescale sweep --spec " + file + " writes the policy file, winner.yaml");
            return Yaml.yaml().treeToValue(tree, PolicyFile.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the record's own check arrives wrapped in Jackson's "Cannot construct instance of ...": say it plainly
            for (Throwable t = e; t != null; t = t.getCause())
                if (t instanceof ConfigException c) throw new ConfigException(file + ": " + c.path(), c.reason());
            if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty())
                throw new ConfigException(file + ": " + BindingErrors.path(m), BindingErrors.reason(m));
            throw new ConfigException(file.toString(), Yaml.syntaxError(e));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), e.getMessage());
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Yaml.yaml().writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
