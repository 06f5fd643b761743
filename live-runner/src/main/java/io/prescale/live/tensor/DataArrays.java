package io.prescale.live.tensor;

import com.fasterxml.jackson.core.io.NumberInput;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code "data"} arrays of a JSON request body, parsed straight from its bytes. Text to numbers is most
 * of the CPU a JSON tensor request costs, and a general JSON parser pays per value for tokens, a char buffer
 * and a general number parser; a tensor's data is a plain (possibly nested) array of numbers, which one tight
 * loop over the bytes reads in well under half the time ({@code live-runner/bench/run-jmh.sh}).
 *
 * <p>{@link #scan} finds each {@code "data": [numbers...]} and gives back the body with those arrays cut to
 * {@code []}, so that the request's JSON parser only walks its small remainder; the reader takes the values by
 * the offset of that {@code []} in the cut body ({@link #take}). An array that is anything but well-formed
 * numbers (a string, a literal, a malformed number) is left in the body for the JSON parser, which answers for
 * it as it always has; cutting a well-formed array of numbers out of a document changes neither its validity nor
 * any other value. Each value is the JSON parser's double, correctly rounded (Clinger's exact fast path:
 * mantissa below 2^53, power of ten within 10^22; the parser's own text-to-double for the rest; integers
 * without fraction or exponent as a {@code long} converts, as the parser's integer tokens do), kept as the float
 * the reader makes of it for FP32; the other types take the values only where those floats are exact.
 */
public final class DataArrays {
    /** Deeper nesting than the reader accepts is left to it (it answers with its own message). */
    private static final int MAX_DEPTH = 9;
    /** Numbers longer than this are left to the JSON parser, which enforces its own length limit. */
    private static final int MAX_NUMBER_CHARS = 100;
    /**
     * Arrays cut from one body at most; later ones stay for the JSON parser. A model has a handful of inputs,
     * and without a bound a body of many tiny arrays (repeated "data" keys) would hold far more memory than its
     * own size.
     */
    private static final int MAX_ARRAYS = 256;
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
            1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final byte[] DATA_KEY = "\"data\"".getBytes(StandardCharsets.US_ASCII);

    private final byte[] original;
    private final byte[] body;
    private final int length;
    private final Map<Long, Values> arrays;

    private DataArrays(byte[] original, byte[] body, int length, Map<Long, Values> arrays) {
        this.original = original;
        this.body = body;
        this.length = length;
        this.arrays = arrays;
    }

    /**
     * The values read ahead cannot become the tensor's type (a fraction for an integer type, booleans, out of
     * range): the caller reads the original body, whose reader gives the answer and its message.
     */
    public static final class Unusable extends RuntimeException {
        public Unusable() {
            super("data arrays read ahead do not fit the tensor's type", null, false, false);
        }
    }

    /**
     * One array's values in row-major order as floats, the element type nearly every model takes (4 bytes a
     * value, as the reader's own arrays), and whether every value is exactly its float (then they serve FP64
     * too) and was written as an integer (then, exact as well, the integer types).
     */
    public record Values(float[] values, int count, boolean exact, boolean integers) {
        /** The values as a primitive array of {@code type}, or null when they cannot be (the reader's own path says why). */
        Object as(ElementType type) {
            switch (type) {
                case FP32 -> {
                    return values.length == count ? values : java.util.Arrays.copyOf(values, count);
                }
                case FP64 -> {
                    if (!exact) return null;
                    double[] d = new double[count];
                    for (int i = 0; i < count; i++) d[i] = values[i];
                    return d;
                }
                case INT64 -> {
                    if (!exact || !integers) return null;
                    long[] l = new long[count];
                    for (int i = 0; i < count; i++) l[i] = (long) values[i];
                    return l;
                }
                case INT32 -> {
                    if (!exact || !integers || !within(Integer.MIN_VALUE, Integer.MAX_VALUE)) return null;
                    int[] a = new int[count];
                    for (int i = 0; i < count; i++) a[i] = (int) values[i];
                    return a;
                }
                case INT8, UINT8 -> {
                    boolean signed = type == ElementType.INT8;
                    if (!exact || !integers || !within(signed ? Byte.MIN_VALUE : 0, signed ? Byte.MAX_VALUE : 255)) return null;
                    byte[] a = new byte[count];
                    for (int i = 0; i < count; i++) a[i] = (byte) (int) values[i];
                    return a;
                }
                default -> {
                    return null; // booleans: left to the reader
                }
            }
        }

        private boolean within(long min, long max) {
            for (int i = 0; i < count; i++) {
                double v = values[i];
                if (v < min || v > max) return false;
            }
            return true;
        }
    }

    /** The first {@code length} bytes of {@code body} with every array of numbers under a "data" key cut out. */
    public static DataArrays scan(byte[] body, int length) {
        Map<Long, Values> found = null;
        byte[] out = null;
        int outLength = 0;
        int copied = 0; // body bytes before this are in out
        int i = 0;
        while (i < length && (found == null || found.size() < MAX_ARRAYS)) {
            byte c = body[i];
            if (c != '"') {
                i++;
                continue;
            }
            boolean key = matches(body, length, i, DATA_KEY);
            i = endOfString(body, length, i);
            if (!key || i < 0) {
                if (i < 0) break; // unterminated string: the JSON parser will say so
                continue;
            }
            int at = skipWhitespace(body, length, i);
            if (at >= length || body[at] != ':') continue;
            at = skipWhitespace(body, length, at + 1);
            if (at >= length || body[at] != '[') continue;
            Reader r = new Reader(body, length, at);
            if (!r.array()) continue; // not numbers: scanning goes on inside it, the JSON parser reads it
            if (out == null) {
                out = new byte[Math.min(length, at + 256)]; // what stays is usually a small part of the body
                found = new HashMap<>();
            }
            out = room(out, outLength + at - copied + 2);
            System.arraycopy(body, copied, out, outLength, at - copied);
            outLength += at - copied;
            found.put((long) outLength, new Values(r.values, r.count, r.exact, r.integers));
            out[outLength++] = '[';
            out[outLength++] = ']';
            copied = r.pos;
            i = r.pos;
        }
        if (out == null) return new DataArrays(body, body, length, Map.of());
        out = room(out, outLength + length - copied);
        System.arraycopy(body, copied, out, outLength, length - copied);
        outLength += length - copied;
        return new DataArrays(body, out, outLength, found);
    }

    private static byte[] room(byte[] out, int needed) {
        return needed <= out.length ? out : java.util.Arrays.copyOf(out, Math.max(needed, out.length * 2));
    }

    /** The body to parse: the original one when nothing was cut. */
    public byte[] body() {
        return body;
    }

    public int length() {
        return length;
    }

    /** Whether any array was cut out (else the body is the original, and {@link #take} always answers null). */
    public boolean cut() {
        return body != original;
    }

    /** The values of the array that was cut where the body now has {@code []} at {@code offset} (once), or null. */
    public Values take(long offset) {
        return arrays.isEmpty() ? null : arrays.remove(offset);
    }

    /** Whether every array cut out was taken: else some "data" key outside a tensor lost its value in the cut body. */
    public boolean allTaken() {
        return arrays.isEmpty();
    }

    private static boolean matches(byte[] b, int length, int at, byte[] word) {
        if (at + word.length > length) return false;
        for (int k = 0; k < word.length; k++) if (b[at + k] != word[k]) return false;
        return true;
    }

    /** The index after the closing quote of the string that opens at {@code at}, or -1 when it does not close. */
    private static int endOfString(byte[] b, int length, int at) {
        for (int i = at + 1; i < length; i++) {
            byte c = b[i];
            if (c == '\\') i++;
            else if (c == '"') return i + 1;
        }
        return -1;
    }

    private static int skipWhitespace(byte[] b, int length, int i) {
        while (i < length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
        return i;
    }

    /**
     * Reads one array of numbers (nested arrays allowed) from its '['; fails on anything else. The loop over a
     * run of numbers is one method with its state in locals, and the rare cases (exponents, numbers the fast
     * path cannot take, a full array) are calls out of it, so that it compiles to a tight loop.
     */
    private static final class Reader {
        private final byte[] b;
        private final int length;
        int pos;
        float[] values = new float[0]; // grown on the first value: an array that turns out not to be numbers costs nothing
        int count;
        boolean exact = true;    // every value is exactly its float
        boolean integers = true; // every value was written without fraction or exponent
        private long mantissa; // of the number being read, with digitRun
        private int scale;     // the power of ten an exponent adds, with exponent

        Reader(byte[] b, int length, int pos) {
            this.b = b;
            this.length = length;
            this.pos = pos;
        }

        /** True when the whole array, up to and including its ']', is well-formed numbers; pos is then after it. */
        boolean array() {
            int depth = 0;
            while (true) {
                // at a value, or right after '[' where ']' may close an empty array
                pos = skipWhitespace(b, length, pos);
                if (pos >= length) return false;
                if (b[pos] == '[') {
                    if (++depth > MAX_DEPTH) return false;
                    pos = skipWhitespace(b, length, pos + 1);
                    if (pos >= length || b[pos] != ']') continue;
                } else if (!numbers()) {
                    return false;
                }
                // after a value: ',' and the next one, or ']' closing as many arrays as follow
                while (true) {
                    pos = skipWhitespace(b, length, pos);
                    if (pos >= length) return false;
                    byte c = b[pos++];
                    if (c == ',') break;
                    if (c != ']') return false;
                    if (--depth == 0) return true;
                }
            }
        }

        /**
         * Numbers from pos, each -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, while a ',' and another number
         * follow; pos is then after the last one. False on a malformed number.
         */
        private boolean numbers() {
            final byte[] b = this.b;
            final int length = this.length;
            int i = pos;
            while (true) {
                int start = i;
                boolean negative = i < length && b[i] == '-';
                if (negative) i++;
                if (i >= length) return false;
                mantissa = 0;
                int c = b[i];
                int digits; // read into the mantissa; above 18 it lost some and the JDK reads the text
                if (c == '0') {
                    digits = 1;
                    if (++i < length && isDigit(b[i])) return false; // a leading zero
                } else if (c >= '1' && c <= '9') {
                    int from = i;
                    i = digitRun(i, 0);
                    digits = i - from;
                } else {
                    return false;
                }
                int power = 0; // the power of ten the mantissa is multiplied by
                boolean integral = true;
                if (i < length && b[i] == '.') {
                    integral = false;
                    int fraction = ++i;
                    i = digitRun(i, digits);
                    if (i == fraction) return false;
                    digits += i - fraction;
                    power = fraction - i;
                }
                if (i < length && (b[i] | 0x20) == 'e') {
                    integral = false;
                    if ((i = exponent(i + 1)) < 0) return false;
                    power += scale;
                }
                if (i - start > MAX_NUMBER_CHARS) return false;
                double v;
                if (digits <= 15 && integral) {
                    v = negative ? -mantissa : mantissa; // a long, as the JSON parser's integer tokens convert (so "-0" is 0)
                } else if (!integral && digits <= 18 && mantissa < (1L << 53) && power >= -22 && power <= 22) {
                    // Clinger's fast path: both operands exact (below 2^53 and 10^22), so one correctly rounded operation
                    v = power >= 0 ? mantissa * POW10[power] : mantissa / POW10[-power];
                    if (negative) v = -v;
                } else {
                    v = slowValue(start, i, negative, digits, integral);
                    // past FP32's range (only this path reaches it): left to the parser, which refuses it for FP32
                    if (Float.isInfinite((float) v)) return false;
                }
                float f = (float) v; // as the reader narrows a double for FP32
                if (f != v) exact = false;
                if (!integral) integers = false; // the reader takes no fraction or exponent as an integer
                if (count == values.length) values = java.util.Arrays.copyOf(values, Math.max(16, values.length * 2));
                values[count++] = f;
                if (i + 1 < length && b[i] == ',' && ((c = b[i + 1]) == '-' || (c >= '0' && c <= '9'))) {
                    i++; // the common case, "1,2": straight on to the next number
                    continue;
                }
                pos = i;
                return true;
            }
        }

        /** A number the fast path does not take: an integer past 10^15, a mantissa past 2^53, or a power of ten past 10^22. */
        private double slowValue(int start, int end, boolean negative, int digits, boolean integral) {
            if (integral && digits <= 18) {
                if (mantissa > (1L << 53)) exact = false; // the double is not the integer written
                return negative ? -mantissa : mantissa;
            }
            if (integral) exact = false; // past 18 digits: neither is it
            // the JSON parser's own (fast, correctly rounded) text-to-double
            return NumberInput.parseDouble(new String(b, start, end - start, StandardCharsets.US_ASCII), true);
        }

        /** The exponent's digits after the 'e' at {@code i - 1} into {@link #scale}; the index after them, or -1. */
        private int exponent(int i) {
            boolean negative = false;
            if (i < length && (b[i] == '+' || b[i] == '-')) negative = b[i++] == '-';
            int from = i;
            int e = 0;
            for (int c; i < length && (c = b[i] - '0') >= 0 && c <= 9; i++)
                if (e < 100_000) e = e * 10 + c;
            if (i == from) return -1;
            scale = negative ? -e : e;
            return i;
        }

        /**
         * Reads the run of digits at {@code i} into the mantissa, which already holds {@code digits} of them,
         * and returns the index after it: up to eight digits per step from one 8-byte word, one at a time near
         * the end of the body or past 18 digits (where the mantissa stops taking them).
         */
        private int digitRun(int i, int digits) {
            long m = mantissa;
            while (i + 8 <= length && digits <= 10) {
                long word = (long) LITTLE_ENDIAN_LONG.get(b, i);
                long notDigits = ((word + 0x4646464646464646L) | (word - 0x3030303030303030L)) & 0x8080808080808080L;
                int n = Long.numberOfTrailingZeros(notDigits) >>> 3; // digits before the first other byte (8 when none)
                if (n == 0) break;
                if (n < 8) { // the n digits to the top of the word, '0's below them: the same value
                    int shift = (8 - n) << 3;
                    word = (word << shift) | (0x3030303030303030L >>> (64 - shift));
                }
                m = m * POW10_LONG[n] + valueOfEightDigits(word);
                digits += n;
                i += n;
                if (n < 8) {
                    mantissa = m;
                    return i;
                }
            }
            for (int c; i < length && (c = b[i] - '0') >= 0 && c <= 9; i++, digits++)
                if (digits < 18) m = m * 10 + c;
            mantissa = m;
            return i;
        }
    }

    private static final long[] POW10_LONG = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L};

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The value of eight ASCII digits, the first in the lowest byte (Lemire, "Fast numeric string parsing"). */
    private static int valueOfEightDigits(long word) {
        long v = word - 0x3030303030303030L;
        v = v * 10 + (v >>> 8);
        return (int) (((v & 0x000000FF000000FFL) * 0x000F424000000064L + ((v >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L) >>> 32);
    }
}
