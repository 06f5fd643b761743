package io.prescale.live.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON tensors in both request forms: the runner's own {@code {"inputs": {name: {shape, data, datatype?}}}}
 * and the Open Inference Protocol's {@code {"inputs": [{name, shape, datatype, data}]}}. Data may be flat
 * or nested; a missing datatype takes the model's. Every error names the input and the offending element.
 */
public final class TensorJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TensorJson() {}

    /** Reads the runner's form: an object of named tensors. */
    public static Map<String, Tensor> readNamed(JsonNode inputs, ModelSignature signature) {
        if (inputs == null || !inputs.isObject())
            throw new InvalidInputException("'inputs' must be an object of named tensors {name: {shape, data}}");
        Map<String, Tensor> out = new LinkedHashMap<>();
        var it = inputs.fields();
        while (it.hasNext()) {
            var e = it.next();
            out.put(e.getKey(), read(e.getKey(), e.getValue(), signature));
        }
        return out;
    }

    /** Reads the Open Inference Protocol form: an array of tensors that carry their names. */
    public static Map<String, Tensor> readProtocol(JsonNode inputs, ModelSignature signature) {
        if (inputs == null || !inputs.isArray())
            throw new InvalidInputException("'inputs' must be an array of {name, shape, datatype, data}");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode n = inputs.get(i);
            JsonNode name = n.get("name");
            if (name == null || !name.isTextual()) throw new InvalidInputException("inputs[" + i + "].name is missing");
            if (out.containsKey(name.asText())) throw new InvalidInputException("input '" + name.asText() + "' appears twice");
            out.put(name.asText(), read(name.asText(), n, signature));
        }
        return out;
    }

    static Tensor read(String name, JsonNode node, ModelSignature signature) {
        if (!node.isObject()) throw new InvalidInputException("input '" + name + "' must be an object {shape, data}");
        TensorSpec spec = signature.input(name).orElseThrow(() ->
                new InvalidInputException("unknown input " + Quoted.of(name) + " (the model takes " + signature.inputNames() + ")"));
        ElementType type = spec.type();
        JsonNode dt = node.get("datatype");
        if (dt != null && !dt.isNull()) {
            if (!dt.isTextual()) throw new InvalidInputException("input '" + name + "': datatype must be a string such as \"FP32\", not " + Quoted.json(dt));
            try {
                type = ElementType.parse(dt.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("input '" + name + "': " + e.getMessage());
            }
        }
        long[] shape = readShape(name, node.get("shape"));
        long count;
        try {
            count = Tensor.elementCount(shape);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InvalidInputException("input '" + name + "': bad shape " + node.get("shape"));
        }
        JsonNode data = node.get("data");
        if (data == null) throw new InvalidInputException("input '" + name + "': 'data' is missing (an array of values)");
        if (!(data.isArray() || data.isValueNode()))
            throw new InvalidInputException("input '" + name + "': 'data' must be an array of values, not " + Quoted.json(data));
        List<JsonNode> flat = new ArrayList<>();
        flatten(data, flat, name, 0);
        if (flat.size() != count)
            throw new InvalidInputException("input '" + name + "': shape " + node.get("shape") + " holds " + count + " values but data has " + flat.size());
        return new Tensor(name, type, shape, values(name, type, flat));
    }

    static long[] readShape(String name, JsonNode shape) {
        if (shape == null || shape.isNull()) throw new InvalidInputException("input '" + name + "': 'shape' is missing (an array of dimensions)");
        if (!shape.isArray()) throw new InvalidInputException("input '" + name + "': 'shape' must be an array of dimensions, not " + Quoted.json(shape));
        if (shape.size() > 8) throw new InvalidInputException("input '" + name + "': rank " + shape.size() + " is above 8");
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            JsonNode d = shape.get(i);
            // canConvertToLong: a dimension past a long (2^64 + 1) would wrap to a small one and be served
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) throw new InvalidInputException("input '" + name + "': shape[" + i + "] must be a non-negative integer");
            s[i] = d.asLong();
        }
        return s;
    }

    static void flatten(JsonNode n, List<JsonNode> out, String name, int depth) {
        if (depth > 8) throw new InvalidInputException("input '" + name + "': data nested deeper than 8");
        if (n.isArray()) {
            for (JsonNode c : n) flatten(c, out, name, depth + 1);
        } else {
            out.add(n);
        }
    }

    static Object values(String name, ElementType type, List<JsonNode> flat) {
        int n = flat.size();
        switch (type) {
            case FP32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) number(name, flat, i).doubleValue();
                    if (Float.isInfinite(a[i])) throw outOfRange(name, i, type, flat.get(i).asText());
                }
                return a;
            }
            case FP64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = number(name, flat, i).doubleValue();
                    if (Double.isInfinite(a[i])) throw outOfRange(name, i, type, flat.get(i).asText());
                }
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = integer(name, flat, i, Long.MIN_VALUE, Long.MAX_VALUE);
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = (int) integer(name, flat, i, Integer.MIN_VALUE, Integer.MAX_VALUE);
                return a;
            }
            case INT8 -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte) integer(name, flat, i, Byte.MIN_VALUE, Byte.MAX_VALUE);
                return a;
            }
            case UINT8 -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte) integer(name, flat, i, 0, 255);
                return a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    JsonNode v = flat.get(i);
                    if (v.isBoolean()) a[i] = v.booleanValue();
                    else if (v.isIntegralNumber() && (v.asLong() == 0 || v.asLong() == 1)) a[i] = v.asLong() == 1;
                    else throw new InvalidInputException("input '" + name + "': data[" + i + "] is " + v + ", not a boolean");
                }
                return a;
            }
        }
        throw new AssertionError(type);
    }

    /**
     * A number written in JSON that {@code type} (FP32 or FP64) can only hold as Infinity (1e39 in FP32, 1e400 in
     * FP64): refused as an integer out of range is, not served as another value.
     */
    static InvalidInputException outOfRange(String name, int i, ElementType type, String text) {
        return new InvalidInputException("input '" + name + "': data[" + i + "] = " + text + " is out of range for " + type.protocolName());
    }

    private static Number number(String name, List<JsonNode> flat, int i) {
        JsonNode v = flat.get(i);
        if (!v.isNumber()) throw new InvalidInputException("input '" + name + "': data[" + i + "] is " + abbreviate(v) + ", not a number");
        return v.numberValue();
    }

    private static long integer(String name, List<JsonNode> flat, int i, long min, long max) {
        JsonNode v = flat.get(i);
        if (!v.isIntegralNumber() || !v.canConvertToLong())
            throw new InvalidInputException("input '" + name + "': data[" + i + "] is " + abbreviate(v) + ", not an integer");
        long x = v.longValue();
        if (x < min || x > max) throw new InvalidInputException("input '" + name + "': data[" + i + "] = " + x + " is out of range [" + min + ", " + max + "]");
        return x;
    }

    static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Writes outputs in the runner's form: {name: {shape, datatype, data}}. */
    public static ObjectNode writeNamed(Map<String, Tensor> outputs) {
        ObjectNode o = NODES.objectNode();
        for (Tensor t : outputs.values()) {
            ObjectNode n = o.putObject(t.name());
            fill(n, t);
        }
        return o;
    }

    /** Writes outputs in the Open Inference Protocol form: [{name, shape, datatype, data}]. */
    public static ArrayNode writeProtocol(Map<String, Tensor> outputs) {
        ArrayNode a = NODES.arrayNode();
        for (Tensor t : outputs.values()) {
            ObjectNode n = a.addObject();
            n.put("name", t.name());
            fill(n, t);
        }
        return a;
    }

    private static void fill(ObjectNode n, Tensor t) {
        ArrayNode shape = n.putArray("shape");
        for (long d : t.shape()) shape.add(d);
        n.put("datatype", t.type().protocolName());
        ArrayNode data = n.putArray("data");
        switch (t.type()) {
            case FP32 -> { for (float v : (float[]) t.data()) data.add(v); }
            case FP64 -> { for (double v : (double[]) t.data()) data.add(v); }
            case INT64 -> { for (long v : (long[]) t.data()) data.add(v); }
            case INT32 -> { for (int v : (int[]) t.data()) data.add(v); }
            case INT8 -> { for (byte v : (byte[]) t.data()) data.add(v); }
            case UINT8 -> { for (byte v : (byte[]) t.data()) data.add(v & 0xff); }
            case BOOL -> { for (boolean v : (boolean[]) t.data()) data.add(v); }
        }
    }
}
