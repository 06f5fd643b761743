package io.prescale.live;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.tensor.DataArrays;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data arrays read straight from the bytes hold, bit for bit, the floats the tensor reader makes of what the
 * JSON parser reads from the same text (its double, narrowed), say rightly whether those floats are the doubles
 * and integers written, and leave anything that is not plain numbers in the body for the parser.
 */
class DataArraysTest {
    /** The runner's parser settings for numbers (its fast double parser on). */
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER);

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every number of a flat array as the JSON parser reads it (getDoubleValue, as the tensor reader does). */
    static double[] parsedByJackson(String array) throws Exception {
        List<Double> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(array)) {
            p.nextToken();
            while (p.nextToken() != JsonToken.END_ARRAY) out.add(p.getDoubleValue());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static DataArrays.Values read(String array) {
        byte[] b = bytes("{\"data\":" + array + "}");
        DataArrays cut = DataArrays.scan(b, b.length);
        assertThat(cut.cut()).as(array).isTrue();
        assertThat(new String(cut.body(), 0, cut.length(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":[]}");
        DataArrays.Values v = cut.take(8);
        assertThat(cut.allTaken()).isTrue();
        return v;
    }

    /**
     * Each value the float of the parser's double, bit for bit; "exact" only if every float is its double and,
     * for an integer, the integer written (a flat array).
     */
    static void assertAsTheParserReadsThem(String array, String what) throws Exception {
        double[] expected = parsedByJackson(array);
        String[] tokens = array.substring(1, array.length() - 1).split(",");
        DataArrays.Values v = read(array);
        assertThat(v.count()).as(what).isEqualTo(expected.length);
        boolean exact = true;
        for (int i = 0; i < expected.length; i++) {
            float f = (float) expected[i];
            String token = tokens[i].trim();
            exact &= f == expected[i] && (!token.matches("-?\\d+") || new java.math.BigDecimal(token).compareTo(new java.math.BigDecimal(expected[i])) == 0);
            assertThat(Float.floatToRawIntBits(v.values()[i])).as("value %d of %s: %s vs %s", i, what, v.values()[i], expected[i])
                    .isEqualTo(Float.floatToRawIntBits(f));
        }
        assertThat(v.exact()).as(what).isEqualTo(exact);
    }

    @Test
    void hardNumbersReadAsTheJsonParserReadsThem() throws Exception {
        // zeros and signs; 18 digits (the exact long path), 19 and more (the JDK's parser); past 2^53 as an
        // integer (rounded as a long converts) and as a fraction; the fast path's edges 10^22 and 10^23;
        // subnormals, the largest float, underflow to zero; exponents of every form
        String[] hard = {"0", "-0", "0.0", "-0.0", "1", "-1", "123456789012345678", "1234567890123456789",
                "98765432109876543210987", "9007199254740993", "9007199254740993.0", "0.1", "0.30000000000000004",
                "1e22", "1e23", "1E+2", "1e-2", "123.456e-5", "4.9e-324", "2.2250738585072014E-308",
                "-1e-400", "0.000001234", "12345678.12345678", "3.4028235E38",
                "1.4E-45", "0.1000000000000000055511151231257827", "7.0e0", "100000000000000000000000.5"};
        for (String h : hard) assertAsTheParserReadsThem("[" + h + "]", h);
        assertAsTheParserReadsThem("[" + String.join(",", hard) + "]", "all of them");
        // integers: exact when the float is the integer written (2^24 + 1 is not; 2^40 is; 2^53 + 1 is not even a double)
        assertThat(read("[16777216,-3]").exact()).isTrue();
        assertThat(read("[16777216,-3]").integers()).isTrue();
        assertThat(read("[16777217]").exact()).isFalse();
        assertThat(read("[1099511627776]").exact()).isTrue();
        assertThat(read("[9007199254740993]").exact()).isFalse();
        assertThat(read("[3.0]").integers()).isFalse();
    }

    @Test
    void numbersPastTheFloatRangeAreLeftToTheParser() {
        // as floats they are Infinity (and 1e400 "exactly" so, as a double too): the parser's path refuses them for
        // FP32, or takes the finite doubles for FP64
        for (String big : new String[]{"3.5e38", "-1.7976931348623157e308", "1e400"}) {
            byte[] b = bytes("{\"data\":[1," + big + "]}");
            assertThat(DataArrays.scan(b, b.length).cut()).as(big).isFalse();
        }
    }

    @Test
    void randomNumbersInEveryCommonFormReadAsTheJsonParserReadsThem() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            if (i > 0) sb.append(i % 7 == 0 ? " , " : ",");
            double x = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(-30, 30));
            sb.append(switch (i % 6) {
                case 0 -> Double.toString(x);                                    // shortest double, maybe E notation
                case 1 -> Float.toString((float) x);                             // shortest float, as clients send FP32
                case 2 -> String.format(Locale.ROOT, "%.9e", x);                 // fixed significant digits
                case 3 -> String.format(Locale.ROOT, "%.6f", x);                 // fixed decimals
                case 4 -> Long.toString(rnd.nextLong(-1_000_000_000_000L, 1_000_000_000_000L)); // integers
                default -> new java.math.BigDecimal(x).round(new java.math.MathContext(25)).toPlainString(); // 25 digits, no exponent
            });
        }
        String array = sb.append("]").toString();
        assertAsTheParserReadsThem(array, "20,000 random numbers");
        // and as many that floats hold exactly (the FP64 path): halves, quarters, small integers
        StringBuilder exact = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) exact.append(i > 0 ? "," : "").append(rnd.nextInt(-1 << 20, 1 << 20) / 4.0);
        assertAsTheParserReadsThem(exact.append("]").toString(), "20,000 quarters");
        assertThat(read(exact.toString()).exact()).isTrue();
    }

    @Test
    void nestedArraysReadInRowMajorOrderAndIntegersAreMarkedExact() {
        byte[] b = bytes("{\"x\":{\"shape\":[2,2],\"data\" : [[1, 2],\n[3,4]]},\"y\":{\"data\":[[],[0.5]]}}");
        DataArrays cut = DataArrays.scan(b, b.length);
        String body = new String(cut.body(), 0, cut.length(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"x\":{\"shape\":[2,2],\"data\" : []},\"y\":{\"data\":[]}}");
        DataArrays.Values x = cut.take(body.indexOf("[]"));
        assertThat(java.util.Arrays.copyOf(x.values(), x.count())).containsExactly(1, 2, 3, 4);
        assertThat(x.integers()).isTrue();
        assertThat(cut.allTaken()).isFalse();
        DataArrays.Values y = cut.take(body.lastIndexOf("[]"));
        assertThat(java.util.Arrays.copyOf(y.values(), y.count())).containsExactly(0.5f);
        assertThat(y.integers()).isFalse();
        assertThat(cut.allTaken()).isTrue();
        assertThat(cut.take(body.indexOf("[]"))).as("taken once").isNull();
    }

    @Test
    void anythingButWellFormedNumbersIsLeftForTheParser() {
        String[] notNumbers = {"[1,]", "[,1]", "[01]", "[-01]", "[1.]", "[.5]", "[+1]", "[NaN]", "[Infinity]", "[1 2]",
                "[1,\"a\"]", "[[1],2", "[1", "[true]", "[null]", "[-]", "[1e]", "[1e+]", "[0x10]", "[1.5.2]", "[{}]",
                "[[[[[[[[[[1]]]]]]]]]]" /* deeper than the reader's 9 levels */, "[" + "1".repeat(101) + "]"};
        for (String a : notNumbers) {
            byte[] b = bytes("{\"data\":" + a + "}");
            DataArrays cut = DataArrays.scan(b, b.length);
            assertThat(cut.cut()).as(a).isFalse();
            assertThat(cut.body()).as(a).isSameAs(b);
        }
        // "data" as a value, inside a string, or with an escaped quote is not a key; a non-array value is not cut
        for (String doc : new String[]{"{\"k\":\"data\",\"v\":[1]}", "[\"data\",[1]]", "{\"s\":\"x\\\"data\\\":[1]\"}",
                "{\"data\":5}", "{\"data\":\"[1]\"}", "{\"data\\u0073\":[1]}"}) {
            byte[] b = bytes(doc);
            assertThat(DataArrays.scan(b, b.length).cut()).as(doc).isFalse();
        }
    }

    @Test
    void aBodyOfManyArraysHasOnlySomeCutSoItsMemoryStaysBounded() {
        // 300 repeated "data" keys: the first 256 are read ahead, the rest stay in the body for the parser
        StringBuilder sb = new StringBuilder("{\"x\":{");
        for (int i = 0; i < 300; i++) sb.append(i > 0 ? "," : "").append("\"data\":[").append(i).append("]");
        byte[] b = bytes(sb.append("}}").toString());
        DataArrays cut = DataArrays.scan(b, b.length);
        String body = new String(cut.body(), 0, cut.length(), StandardCharsets.UTF_8);
        assertThat(body.split("\\[]", -1)).hasSize(257); // 256 cut arrays
        assertThat(body).doesNotContain("\"data\":[255]").contains("\"data\":[],\"data\":[256],")
                .endsWith("\"data\":[299]}}");
    }

    @Test
    void onlyTheGivenLengthIsRead() {
        // the protocol's binary extension: JSON first, raw tensor bytes after it
        byte[] b = bytes("{\"data\":[1,2]}\u0001\u0002\"data\":[3]");
        DataArrays cut = DataArrays.scan(b, 14);
        assertThat(cut.length()).isEqualTo(11);
        assertThat(new String(cut.body(), 0, cut.length(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":[]}");
        DataArrays.Values v = cut.take(8);
        assertThat(java.util.Arrays.copyOf(v.values(), v.count())).containsExactly(1, 2);
        assertThat(cut.allTaken()).isTrue();
    }
}
