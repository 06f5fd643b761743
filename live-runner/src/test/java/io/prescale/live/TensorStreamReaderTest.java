package io.prescale.live;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.tensor.DataArrays;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.InvalidInputException;
import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorJson;
import io.prescale.live.tensor.TensorSpec;
import io.prescale.live.tensor.TensorStreamReader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming reader gives what the tree reader gives, values and error messages alike, for every element type. */
class TensorStreamReaderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ModelSignature SIG = new ModelSignature(List.of(
            new TensorSpec("f", ElementType.FP32, new long[]{-1, 2}),
            new TensorSpec("d", ElementType.FP64, new long[]{-1}),
            new TensorSpec("l", ElementType.INT64, new long[]{-1}),
            new TensorSpec("i", ElementType.INT32, new long[]{-1}),
            new TensorSpec("b", ElementType.INT8, new long[]{-1}),
            new TensorSpec("u", ElementType.UINT8, new long[]{-1}),
            new TensorSpec("z", ElementType.BOOL, new long[]{-1}),
            new TensorSpec("s", ElementType.INT64, new long[]{})), List.of());

    static Map<String, Tensor> streamed(String inputs) throws Exception {
        try (JsonParser p = JSON.createParser(inputs)) {
            p.nextToken();
            return TensorStreamReader.tensors(TensorStreamReader.readNamed(p, SIG, inputs.length()));
        }
    }

    /** As the runner reads a body: data arrays read ahead and cut out, the rest streamed; every cut array must be taken. */
    static Map<String, Tensor> cutStreamed(String inputs) throws Exception {
        byte[] b = inputs.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DataArrays cut = DataArrays.scan(b, b.length);
        assertThat(cut.cut()).as(inputs).isTrue();
        try (JsonParser p = JSON.createParser(cut.body(), 0, cut.length())) {
            p.nextToken();
            Map<String, Tensor> t = TensorStreamReader.tensors(TensorStreamReader.readNamed(p, SIG, b.length, cut));
            assertThat(cut.allTaken()).isTrue();
            return t;
        }
    }

    static Map<String, Tensor> tree(String inputs) throws Exception {
        return TensorJson.readNamed(JSON.readTree(inputs), SIG);
    }

    @Test
    void everyElementTypeNestedOrFlatOrScalarMatchesTheTreeReader() throws Exception {
        // unknown fields inside a tensor are skipped by both
        String in = "{\"f\":{\"note\":{\"a\":[1,[2]]},\"shape\":[2,2],\"data\":[[0.1,2],[3.5e-3,-4]]},\"d\":{\"data\":[1e300,0.25],\"shape\":[2]},"
                + "\"l\":{\"shape\":[2],\"datatype\":\"INT64\",\"data\":[9007199254740993,-1]},\"i\":{\"shape\":[1],\"data\":[2147483647]},"
                + "\"b\":{\"shape\":[2],\"data\":[-128,127]},\"u\":{\"shape\":[2],\"data\":[0,255]},\"z\":{\"shape\":[3],\"data\":[true,0,1]},"
                + "\"s\":{\"shape\":[],\"data\":16000}}";
        Map<String, Tensor> s = streamed(in);
        assertThat(s).isEqualTo(tree(in));
        assertThat((float[]) s.get("f").data()).containsExactly(0.1f, 2f, 3.5e-3f, -4f);
        assertThat((long[]) s.get("l").data()).containsExactly(9007199254740993L, -1L);
        assertThat((byte[]) s.get("u").data()).containsExactly((byte) 0, (byte) 255);
        assertThat((boolean[]) s.get("z").data()).containsExactly(true, false, true);
        assertThat((long[]) s.get("s").data()).containsExactly(16000L);
    }

    @Test
    void dataReadAheadGivesTheSameTensorsOrSendsTheReaderBackToTheOriginal() throws Exception {
        // every type the read-ahead values can take, with the data before or after its shape and datatype
        String in = "{\"f\":{\"shape\":[2,2],\"data\":[[0.1,2],[3.5e-3,-4]]},\"d\":{\"data\":[-1.536e3,0.25],\"shape\":[2]},"
                + "\"l\":{\"data\":[1099511627776,-1],\"shape\":[2],\"datatype\":\"INT64\"},\"i\":{\"shape\":[1],\"data\":[-2147483648]},"
                + "\"b\":{\"shape\":[2],\"data\":[-128,127]},\"u\":{\"shape\":[2],\"data\":[0,255]}}";
        assertThat(cutStreamed(in)).isEqualTo(tree(in)).isEqualTo(streamed(in));
        assertThat((float[]) cutStreamed(in).get("f").data()).containsExactly(0.1f, 2f, 3.5e-3f, -4f);
        // a repeated "data": the last one counts, read ahead or not
        String twice = "{\"f\":{\"shape\":[1,2],\"data\":[9,9],\"data\":[1,2]}}";
        assertThat((float[]) cutStreamed(twice).get("f").data()).containsExactly(1f, 2f);
        assertThat(cutStreamed(twice)).isEqualTo(tree(twice));
        // values the read-ahead cannot type exactly: the caller reads the original body instead
        for (String unusable : new String[]{
                "{\"z\":{\"shape\":[2],\"data\":[0,1]}}",                     // booleans
                "{\"l\":{\"shape\":[1],\"data\":[16777217]}}",                 // not a float (2^24 + 1)
                "{\"d\":{\"shape\":[1],\"data\":[0.1]}}",                      // FP64 that no float holds
                "{\"l\":{\"shape\":[1],\"data\":[1.0]}}",                      // a fraction for an integer
                "{\"i\":{\"shape\":[1],\"data\":[2147483648]}}",               // out of range (2^31, a float)
                "{\"u\":{\"shape\":[1],\"data\":[-1]}}"}) {
            assertThatThrownBy(() -> cutStreamed(unusable)).as(unusable).isInstanceOf(DataArrays.Unusable.class);
        }
    }

    @Test
    void badValuesGiveTheTreeReadersMessages() {
        List<String> readAhead = new java.util.ArrayList<>();
        for (String in : new String[]{
                "{\"f\":{\"shape\":[1,2],\"data\":[1,\"a\"]}}",
                "{\"l\":{\"shape\":[2],\"data\":[1,1.5]}}",
                "{\"l\":{\"shape\":[1],\"data\":[99999999999999999999]}}",
                "{\"u\":{\"shape\":[1],\"data\":[256]}}",
                "{\"b\":{\"shape\":[1],\"data\":[-129]}}",
                "{\"z\":{\"shape\":[1],\"data\":[2]}}",
                "{\"f\":{\"shape\":[1,2],\"data\":[1,2,3]}}",
                "{\"f\":{\"shape\":[1,-2],\"data\":[1,2]}}",
                "{\"f\":{\"data\":[1,2]}}",
                "{\"f\":{\"shape\":[1,2]}}",
                "{\"q\":{\"shape\":[1],\"data\":[1]}}",
                "{\"f\":{\"shape\":[1,2],\"datatype\":\"FP16\",\"data\":[1,2]}}",
                "{\"f\":[1,2]}"}) {
            String expected = message(() -> tree(in));
            assertThat(expected).as(in).isNotNull();
            assertThat(message(() -> streamed(in))).as(in).isEqualTo(expected);
            // read ahead, a bad request never passes: it fails (and the runner then reads the original for the message).
            // Refused as bad input or as unusable read-ahead, not by an assertion inside cutStreamed
            byte[] b = in.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (DataArrays.scan(b, b.length).cut()) {
                assertThatThrownBy(() -> cutStreamed(in)).as(in).isInstanceOfAny(InvalidInputException.class, DataArrays.Unusable.class);
                readAhead.add(in);
            }
        }
        // every body with a "data" array of plain numbers is read ahead: all but the string, the missing data, the bare array
        assertThat(readAhead).hasSize(10);
    }

    @Test
    void aDatatypeAfterTheDataThatDisagreesWithTheModelIsRefused() {
        assertThatThrownBy(() -> streamed("{\"f\":{\"shape\":[1,2],\"data\":[1,2],\"datatype\":\"FP64\"}}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("datatype FP64 but the model expects FP32");
        assertThatThrownBy(() -> cutStreamed("{\"f\":{\"shape\":[1,2],\"data\":[1,2],\"datatype\":\"FP64\"}}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("datatype FP64 but the model expects FP32");
    }

    interface Call {
        Object run() throws Exception;
    }

    static String message(Call c) {
        try {
            c.run();
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
