package io.prescale.live.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import io.prescale.core.config.BindingErrors;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Yaml;

import java.io.IOException;

/** Reading request bodies and writing JSON answers, with client mistakes turned into 400s that say where. */
final class Json {
    /**
     * The project's strict mapper (durations as "300s"), compact for the wire, with Jackson's fast float
     * parser and writer: text to and from floats is most of the CPU a tensor request costs.
     */
    static final ObjectMapper MAPPER = Yaml.json().copy().disable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER)
            // {"x": A, "x": B} is refused, not read as B: whoever reads the first (a proxy, a log) would see another request
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * {@link #MAPPER} that takes each field only in its own JSON type: a registration's {@code "maxReplicas": "2"} or
     * {@code "name": 5} is 400 naming the field ("want a whole number", "want text"), not read as 2 or "5" (Jackson's
     * default coercions): an API that refuses an unknown key should not take a number given as text.
     */
    static final ObjectMapper STRICT = strict(MAPPER.copy());

    private static ObjectMapper strict(ObjectMapper m) {
        for (var type : new com.fasterxml.jackson.databind.type.LogicalType[]{com.fasterxml.jackson.databind.type.LogicalType.Integer,
                com.fasterxml.jackson.databind.type.LogicalType.Float, com.fasterxml.jackson.databind.type.LogicalType.Boolean})
            m.coercionConfigFor(type).setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String,
                    com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        for (var shape : new com.fasterxml.jackson.databind.cfg.CoercionInputShape[]{com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean})
            m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual).setCoercion(shape,
                    com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Integer).setCoercion(
                com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Float).setCoercion(
                com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        return m;
    }

    /** A whole body as one document: "{...}garbage", or a second document after the first, is malformed. */
    private static final com.fasterxml.jackson.databind.ObjectReader WHOLE_BODY =
            MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    static JsonNode readTree(byte[] body) {
        if (body.length == 0) throw ApiException.badRequest("empty body: expected a JSON document");
        try {
            JsonNode n = WHOLE_BODY.readTree(body);
            if (n == null || n.isMissingNode()) throw ApiException.badRequest("empty body: expected a JSON document");
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + forClients(e.getOriginalMessage()) + locate(e));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read body: " + e.getMessage());
        }
    }

    /** A streaming parser over the first {@code length} bytes of {@code body}, with the mapper's features (fast floats). */
    static JsonParser parser(byte[] body, int length) {
        if (length == 0) throw ApiException.badRequest("empty body: expected a JSON document");
        try {
            return MAPPER.createParser(body, 0, length);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read body: " + e.getMessage());
        }
    }

    /** For a streaming reader at the end of the body's one document: anything but whitespace after it is malformed. */
    static void requireEnd(JsonParser p) throws IOException {
        requireEnd(p, "");
    }

    /** As {@link #requireEnd(JsonParser)}, the reason followed by {@code hint}. */
    static void requireEnd(JsonParser p, String hint) throws IOException {
        com.fasterxml.jackson.core.JsonLocation end = p.currentLocation();
        boolean more;
        try {
            more = p.nextToken() != null;
        } catch (JsonProcessingException e) {
            more = true; // not even a token: bytes
        }
        if (more)
            throw ApiException.badRequest("malformed JSON: text after the end of the document (line " + end.getLineNr()
                    + ", column " + end.getColumnNr() + ")" + hint);
    }

    /** A parse failure as the 400 it is ("malformed JSON ... (line, column)"). */
    static ApiException malformed(IOException e) {
        if (e instanceof JsonProcessingException j) return ApiException.badRequest("malformed JSON: " + forClients(j.getOriginalMessage()) + locate(j));
        return ApiException.badRequest("cannot read body: " + e.getMessage());
    }

    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]"),
            SERVER_ADVICE = java.util.regex.Pattern.compile(":? ?enable `[^`]+` to allow"),
            CONSTRAINT = java.util.regex.Pattern.compile(", from `[^`]+`");

    /**
     * Jackson's reason in words for the client that sent the document: without the advice to the server's programmer
     * ("enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", which no client can act on), the constraint's
     * getter or the "[Source: REDACTED (...)" of a location.
     */
    static String forClients(String jacksonReason) {
        if (jacksonReason == null) return "";
        String s = SOURCE.matcher(jacksonReason).replaceAll("line $1, column $2");
        s = SERVER_ADVICE.matcher(s).replaceAll("");
        return CONSTRAINT.matcher(s).replaceAll("");
    }

    @FunctionalInterface
    interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    /** A compact JSON document written by {@code body} straight to bytes (fast float writer, no tree). */
    static byte[] write(Writing body) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(4096);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.write(g);
        }
        return out.toByteArray();
    }

    static <T> T bind(ObjectMapper mapper, JsonNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw withValue(configError(e), e, tree);
        } catch (IllegalArgumentException e) {
            throw configError(e);
        }
    }

    /**
     * A value of the wrong JSON type ({@link #STRICT}) says what it was: "want a whole number, not \"two\"" (Jackson's
     * refusal of a coercion carries no value to show, and the tree has it at the error's path).
     */
    private static RuntimeException withValue(RuntimeException error, JsonProcessingException e, JsonNode tree) {
        if (!(error instanceof ConfigException ce) || !(e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m)
                || e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException || !ce.reason().startsWith("want ")) return error;
        JsonNode at = tree;
        for (JsonMappingException.Reference r : m.getPath()) {
            if (at == null) break;
            at = r.getFieldName() != null ? at.get(r.getFieldName()) : at.get(r.getIndex());
        }
        if (at == null || !at.isValueNode()) return error;
        return new ConfigException(ce.path(), ce.reason() + ", not " + io.prescale.live.tensor.Quoted.json(at));
    }

    static <T> T bind(ObjectMapper mapper, byte[] body, Class<T> type) {
        if (body.length == 0) throw ApiException.badRequest("empty body");
        try {
            return mapper.readValue(body, type);
        } catch (JsonMappingException e) {
            throw configError(e);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed document: " + forClients(e.getOriginalMessage()) + locate(e));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read body: " + e.getMessage());
        }
    }

    /** The field-naming ConfigException behind a Jackson failure, or one built from Jackson's path. */
    static RuntimeException configError(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException ce) return ce;
            if (t instanceof NullPointerException npe && npe.getMessage() != null && npe.getMessage().matches("[A-Za-z.]+"))
                return new ConfigException(npe.getMessage(), "missing");
        }
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            // a record's own check says why in its words; otherwise "'fast' is not a duration", not Jackson's text
            String why = root instanceof IllegalArgumentException && root != e ? root.getMessage() : BindingErrors.reason(jm);
            return new ConfigException(BindingErrors.path(jm), why.lines().findFirst().orElse(why));
        }
        String msg = e instanceof JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
        return ApiException.badRequest(msg == null ? e.toString() : msg.lines().findFirst().orElse(msg));
    }

    private static String locate(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
