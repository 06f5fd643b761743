package io.prescale.core.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.time.Duration;

/** The project's Jackson mappers: strict (unknown keys are errors), durations as "300s". */
public final class Yaml {
    private Yaml() {}

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)))
            // a key written twice in one mapping (a pasted "pool:" under a catalog's defaults, a second "policies:") kept the
            // last value without a word: the files people write are refused instead (syntaxError says which key, on which line)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    public static ObjectMapper yaml() {
        return YAML;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private static ObjectMapper configure(ObjectMapper m) {
        SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                // a number, or a number in quotes, has no unit: 30 s or 30 min? (0 is 0 in every unit); the error names
                // the field (BindingErrors), as flags, experiment files and catalogs do
                String text = p.currentToken().isNumeric() ? p.getText() : p.getValueAsString();
                if (text == null) throw ctxt.wrongTokenException(p, Duration.class, p.currentToken(), "want a duration such as 300s or 5m");
                if (p.currentToken().isNumeric() && p.getDoubleValue() == 0) return Duration.ZERO;
                if (p.currentToken().isNumeric() || Durations.hasNoUnit(text))
                    throw ctxt.weirdStringException(text, Duration.class, Durations.noUnit(text));
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    throw ctxt.weirdStringException(text, Duration.class, e.getMessage());
                }
            }
        });
        durations.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        m.registerModule(durations);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // 1.9 for a whole-number field is a mistake, not 1 (a sweep would label it 1.9 and run 1)
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        m.enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
        return m;
    }

    /**
     * A syntax error on one line, "line 3, column 1: expected ',' or '}', but got <stream end>": Jackson passes on
     * SnakeYAML's text, which spans four lines with an excerpt and a caret and says "in 'reader'".
     */
    public static String syntaxError(com.fasterxml.jackson.core.JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
                org.yaml.snakeyaml.error.Mark at = m.getProblemMark();
                return (at != null ? "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": " : "") + m.getProblem();
            }
        }
        String first = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("").trim();
        var duplicate = java.util.regex.Pattern.compile("Duplicate field '(.*)' for `ObjectNode`.*").matcher(first);
        if (duplicate.matches()) first = "key '" + duplicate.group(1) + "' appears twice in one mapping";
        return (e.getLocation() != null && e.getLocation().getLineNr() > 0 ? "line " + e.getLocation().getLineNr() + ": " : "") + first;
    }
}
