package io.prescale.live.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;

/**
 * A growable primitive array of one element type, filled value by value from a {@link JsonParser}; each
 * value is checked as {@link TensorJson} checks it (numbers, integers in range, booleans), with the same messages.
 */
final class ValueSink {
    private final ElementType type;
    private final String name;
    private Object array;
    private int capacity;
    private int size;

    ValueSink(ElementType type, String name, int initialCapacity) {
        this.type = type;
        this.name = name;
        this.capacity = Math.max(1, initialCapacity);
        this.array = type.newArray(capacity);
    }

    ElementType type() {
        return type;
    }

    Object array() {
        return array;
    }

    int size() {
        return size;
    }

    /** {@code array} cut to {@code size} elements (the same array when it is exactly that long). */
    static Object trim(Object array, int size) {
        if (java.lang.reflect.Array.getLength(array) == size) return array;
        return resize(array, size);
    }

    private static Object resize(Object array, int n) {
        if (array instanceof float[] a) return Arrays.copyOf(a, n);
        if (array instanceof double[] a) return Arrays.copyOf(a, n);
        if (array instanceof long[] a) return Arrays.copyOf(a, n);
        if (array instanceof int[] a) return Arrays.copyOf(a, n);
        if (array instanceof byte[] a) return Arrays.copyOf(a, n);
        if (array instanceof boolean[] a) return Arrays.copyOf(a, n);
        throw new AssertionError(array.getClass());
    }

    /** Appends the value the parser is on. */
    void add(JsonParser p) throws IOException {
        if (size == capacity) grow();
        int i = size;
        JsonToken t = p.currentToken();
        switch (type) {
            case FP32 -> {
                float f = (float) number(p, t);
                if (Float.isInfinite(f)) throw TensorJson.outOfRange(name, i, type, p.getText());
                ((float[]) array)[i] = f;
            }
            case FP64 -> {
                double d = number(p, t);
                if (Double.isInfinite(d)) throw TensorJson.outOfRange(name, i, type, p.getText());
                ((double[]) array)[i] = d;
            }
            case INT64 -> ((long[]) array)[i] = integer(p, t, Long.MIN_VALUE, Long.MAX_VALUE);
            case INT32 -> ((int[]) array)[i] = (int) integer(p, t, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT8 -> ((byte[]) array)[i] = (byte) integer(p, t, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) array)[i] = (byte) integer(p, t, 0, 255);
            case BOOL -> {
                boolean v;
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) v = t == JsonToken.VALUE_TRUE;
                else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        && (p.getLongValue() == 0 || p.getLongValue() == 1)) v = p.getLongValue() == 1;
                else throw new InvalidInputException("input '" + name + "': data[" + i + "] is " + describe(p) + ", not a boolean");
                ((boolean[]) array)[i] = v;
            }
        }
        size++;
    }

    /** As TensorJson: the double value, narrowed to float by the caller for FP32. */
    private double number(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT)
            throw new InvalidInputException("input '" + name + "': data[" + size + "] is " + describe(p) + ", not a number");
        return p.getDoubleValue();
    }

    private long integer(JsonParser p, JsonToken t, long min, long max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
            throw new InvalidInputException("input '" + name + "': data[" + size + "] is " + describe(p) + ", not an integer");
        long x = p.getLongValue();
        if (x < min || x > max) throw new InvalidInputException("input '" + name + "': data[" + size + "] = " + x + " is out of range [" + min + ", " + max + "]");
        return x;
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) return TensorJson.abbreviate(p.readValueAsTree());
        String s = t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private void grow() {
        int next = capacity >= (Integer.MAX_VALUE - 8) / 2 ? Integer.MAX_VALUE - 8 : capacity * 2;
        if (next <= capacity) throw new InvalidInputException("input '" + name + "': too many values");
        array = resize(array, next);
        capacity = next;
    }
}
