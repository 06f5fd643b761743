package io.prescale.core.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Jackson's binding errors in a user's words: where ({@code base.maxUtilization}, {@code models[2].slo.latency})
 * and what ({@code 'abc' is not a number}), never Jackson's "Cannot deserialize value of type `double`".
 */
public final class BindingErrors {
    private BindingErrors() {}

    /** The dotted path of the field the error is at ("" at the top): {@code base.window}, {@code pools[1].gpus}. */
    public static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
        }
        return b.toString();
    }

    /** What is wrong with the value, e.g. "'abc' is not a number"; Jackson's own text only for what this does not know. */
    public static String reason(JsonMappingException e) {
        // Jackson's text names the Java class and "not marked as ignorable": say which keys there are instead
        if (e instanceof UnrecognizedPropertyException u && u.getKnownPropertyIds() != null)
            return DidYouMean.unknownKey(u.getPropertyName(), u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
        if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            Object v = f.getValue();
            String shown = v instanceof String ? "'" + abbreviate((String) v) + "'" : String.valueOf(v);
            Class<?> t = f.getTargetType();
            if (t == Duration.class && v instanceof String s) {
                if (Durations.hasNoUnit(s)) return Durations.noUnit(s);
                try {
                    Durations.parse(s);
                } catch (IllegalArgumentException d) {
                    return d.getMessage();
                }
            }
            // 1e12 for an int: a whole number, only too large ("1.0E12 is not a whole number" sent users after the wrong fault)
            Long[] range = t == int.class || t == Integer.class ? new Long[]{(long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE}
                    : t == short.class || t == Short.class ? new Long[]{(long) Short.MIN_VALUE, (long) Short.MAX_VALUE} : null;
            if (range != null && v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() == Math.rint(n.doubleValue())) {
                String whole = new java.math.BigDecimal(n.doubleValue()).toPlainString();
                if (n.doubleValue() < range[0] || n.doubleValue() > range[1])
                    return whole + " is out of range: a whole number from " + range[0] + " to " + range[1];
                // 1.0 for an int read "1 is out of range: a whole number from -2147483648 to 2147483647"
                return shown + " is written with a decimal point: write the whole number " + whole;
            }
            if (t.isEnum())
                return shown + " is not one of " + Arrays.stream(t.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
            return shown + " is not " + kind(t);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String want = kind(m.getTargetType());
            if (want.startsWith("a value of type")) return e.getOriginalMessage();
            return "want " + want;
        }
        return e.getOriginalMessage();
    }

    /** "a number", "a whole number", "true or false", "a duration such as 300s or 5m", ... */
    static String kind(Class<?> t) {
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) return "a number";
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class || t == Short.class)
            return "a whole number";
        if (t == boolean.class || t == Boolean.class) return "true or false";
        if (t == Duration.class) return "a duration such as 300s or 5m";
        if (t == String.class) return "text";
        if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) return "a list";
        if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) return "a map of fields";
        return "a value of type " + t.getSimpleName();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "... (" + s.length() + " characters)";
    }
}
