package io.prescale.live.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams request tensors out of a {@link JsonParser}: values go straight into primitive arrays instead of
 * a tree of nodes (text to numbers is most of the CPU a JSON tensor request costs). Same forms, rules and
 * messages as {@link TensorJson}, which stays the fallback when the element type is not known yet when the
 * values arrive (a protocol input whose name and datatype follow its data).
 */
public final class TensorStreamReader {
    private TensorStreamReader() {}

    /** One tensor object as read, before it becomes a {@link Tensor}; binary data (if any) is attached by the caller. */
    public static final class Parsed {
        private final String name;
        private final TensorSpec spec;
        private final ElementType type;
        private final long[] shape;
        private final JsonNode shapeNode;
        private final Object values;
        private final int valueCount;
        private final JsonNode treeData;
        private final long binarySize;

        private Parsed(String name, TensorSpec spec, ElementType type, long[] shape, JsonNode shapeNode,
                       Object values, int valueCount, JsonNode treeData, long binarySize) {
            this.name = name;
            this.spec = spec;
            this.type = type;
            this.shape = shape;
            this.shapeNode = shapeNode;
            this.values = values;
            this.valueCount = valueCount;
            this.treeData = treeData;
            this.binarySize = binarySize;
        }

        public String name() {
            return name;
        }

        public ElementType type() {
            return type;
        }

        public long[] shape() {
            return shape.clone();
        }

        /** {@code parameters.binary_data_size} of the binary tensor extension, or -1 when the values are in the JSON. */
        public long binarySize() {
            return binarySize;
        }

        /** Element count of the declared shape. */
        public long elementCount() {
            return count(name, shape, shapeNode);
        }

        /** The tensor from its JSON values. */
        public Tensor tensor() {
            if (binarySize >= 0) throw new IllegalStateException("input '" + name + "' carries binary data");
            long count = elementCount();
            if (treeData != null) {
                List<JsonNode> flat = new ArrayList<>();
                TensorJson.flatten(treeData, flat, name, 0);
                if (flat.size() != count) throw sizeMismatch(count, flat.size());
                return new Tensor(name, type, shape, TensorJson.values(name, type, flat));
            }
            if (valueCount != count) throw sizeMismatch(count, valueCount);
            return new Tensor(name, type, shape, ValueSink.trim(values, valueCount));
        }

        /** The tensor from {@code binarySize} little-endian bytes of {@code body} at {@code offset}. */
        public Tensor tensor(byte[] body, int offset) {
            long count = elementCount();
            long expected;
            try {
                expected = Math.multiplyExact(count, BinaryTensors.elementBytes(type)); // 2^61 FP64 values must not wrap to 0 bytes
            } catch (ArithmeticException e) {
                throw new InvalidInputException("input '" + name + "': shape " + shapeNode + " of " + type.protocolName() + " is too large");
            }
            if (expected != binarySize)
                throw new InvalidInputException("input '" + name + "': binary_data_size is " + binarySize + " bytes but shape "
                        + shapeNode + " of " + type.protocolName() + " needs " + expected);
            return new Tensor(name, type, shape, BinaryTensors.decode(type, body, offset, (int) count));
        }

        private InvalidInputException sizeMismatch(long count, long got) {
            return new InvalidInputException("input '" + name + "': shape " + shapeNode + " holds " + count + " values but data has " + got);
        }

        TensorSpec spec() {
            return spec;
        }
    }

    /**
     * Reads the runner's form, an object of named tensors; the parser is on the value of "inputs".
     * {@code maxValues} bounds what is allocated up front from a declared shape (the body's length).
     */
    public static List<Parsed> readNamed(JsonParser p, ModelSignature signature, int maxValues) throws IOException {
        return readNamed(p, signature, maxValues, null);
    }

    /**
     * As {@link #readNamed(JsonParser, ModelSignature, int)} over a body whose data arrays {@code cut} has taken
     * out; throws {@link DataArrays.Unusable} when the values do not fit the tensor's type (read the original then).
     */
    public static List<Parsed> readNamed(JsonParser p, ModelSignature signature, int maxValues, DataArrays cut) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT)
            throw new InvalidInputException("'inputs' must be an object of named tensors {name: {shape, data}}");
        Map<String, Parsed> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (p.currentToken() != JsonToken.START_OBJECT) throw new InvalidInputException("input '" + name + "' must be an object {shape, data}");
            TensorSpec spec = spec(signature, name);
            out.put(name, readObject(p, name, spec, signature, maxValues, cut));
        }
        return new ArrayList<>(out.values());
    }

    /** Reads the Open Inference Protocol form, an array of tensors that carry their names; the parser is on the value of "inputs". */
    public static List<Parsed> readProtocol(JsonParser p, ModelSignature signature, int maxValues) throws IOException {
        return readProtocol(p, signature, maxValues, null);
    }

    /** As {@link #readProtocol(JsonParser, ModelSignature, int)} over a body whose data arrays {@code cut} has taken out. */
    public static List<Parsed> readProtocol(JsonParser p, ModelSignature signature, int maxValues, DataArrays cut) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY)
            throw new InvalidInputException("'inputs' must be an array of {name, shape, datatype, data}");
        List<Parsed> out = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (p.currentToken() != JsonToken.START_OBJECT) throw new InvalidInputException("inputs[" + i + "].name is missing");
            Parsed t = readObject(p, null, null, signature, maxValues, cut);
            if (t.name == null) throw new InvalidInputException("inputs[" + i + "].name is missing");
            for (Parsed o : out) if (o.name.equals(t.name)) throw new InvalidInputException("input '" + t.name + "' appears twice");
            out.add(t);
        }
        return out;
    }

    /** The tensors of inputs whose values were all in the JSON. */
    public static Map<String, Tensor> tensors(List<Parsed> parsed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parsed t : parsed) out.put(t.name, t.tensor());
        return out;
    }

    private static TensorSpec spec(ModelSignature signature, String name) {
        return signature.input(name).orElseThrow(() ->
                new InvalidInputException("unknown input " + Quoted.of(name) + " (the model takes " + signature.inputNames() + ")"));
    }

    /** One tensor object {name?, shape, datatype?, data | parameters.binary_data_size}; the parser is on its START_OBJECT. */
    private static Parsed readObject(JsonParser p, String knownName, TensorSpec knownSpec, ModelSignature signature, int maxValues,
                                     DataArrays cut) throws IOException {
        String name = knownName;
        TensorSpec spec = knownSpec;
        ElementType declared = null;
        JsonNode shapeNode = null;
        long[] shape = null;
        ValueSink values = null;
        JsonNode treeData = null;
        DataArrays.Values cutValues = null; // read ahead from the original body, typed once the type is known
        ElementType cutType = null;
        boolean dataSeen = false;
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> {
                    if (knownName != null) {
                        p.skipChildren();
                    } else if (p.currentToken() == JsonToken.VALUE_STRING) {
                        name = p.getText();
                        spec = spec(signature, name);
                    } else {
                        throw new InvalidInputException("input name must be a string, not " + p.readValueAsTree());
                    }
                }
                case "datatype" -> {
                    if (p.currentToken() == JsonToken.VALUE_NULL) break;
                    String label = name == null ? "input" : "input '" + name + "'";
                    // a number, an array or an object: "unknown datatype '['" named the token, not the value
                    if (p.currentToken() != JsonToken.VALUE_STRING)
                        throw new InvalidInputException(label + ": datatype must be a string such as \"FP32\", not " + Quoted.json(p.readValueAsTree()));
                    try {
                        declared = ElementType.parse(p.getText());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidInputException(label + ": " + e.getMessage());
                    }
                    ElementType dataType = values != null ? values.type() : cutValues != null ? cutType : null;
                    if (dataSeen && dataType != null && declared != dataType && spec != null)
                        throw new InvalidInputException(label + ": datatype " + declared.protocolName() + " but the model expects " + spec.type().protocolName());
                }
                case "shape" -> {
                    shapeNode = p.readValueAsTree();
                    shape = tentativeShape(shapeNode); // checked with its input's name below
                }
                case "data" -> {
                    dataSeen = true;
                    ElementType type = declared != null ? declared : spec != null ? spec.type() : null;
                    if (cut != null && p.currentToken() == JsonToken.START_ARRAY
                            && (cutValues = cut.take(p.currentTokenLocation().getByteOffset())) != null) {
                        cutType = name == null ? null : type; // as the tree path below: no early type without a name
                        values = null; // a repeated "data": the last one counts, as below
                        treeData = null;
                        p.skipChildren();
                        break;
                    }
                    cutValues = null;
                    if (p.currentToken() == JsonToken.START_OBJECT)
                        throw new InvalidInputException((name == null ? "input" : "input '" + name + "'") + ": 'data' must be an array of values, not "
                                + Quoted.json(p.readValueAsTree()));
                    if (type == null || name == null) {
                        treeData = p.readValueAsTree();
                    } else {
                        long expected = shape == null ? -1 : safeCount(shape);
                        int initial = expected >= 0 && expected <= maxValues ? (int) expected : 16;
                        values = new ValueSink(type, name, initial);
                        readValues(p, values, name);
                    }
                }
                case "parameters" -> {
                    JsonNode params = p.readValueAsTree();
                    if (params != null && !params.isNull() && !params.isObject()) // a binary_data_size beside it would go unseen
                        throw new InvalidInputException((name == null ? "input" : "input '" + name + "'") + ": 'parameters' must be an object, not " + Quoted.json(params));
                    JsonNode size = params == null ? null : params.get("binary_data_size");
                    if (size != null) {
                        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0)
                            throw new InvalidInputException((name == null ? "input" : "input '" + name + "'") + ": parameters.binary_data_size must be a non-negative integer, not " + size);
                        binarySize = size.asLong();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null) return new Parsed(null, null, null, null, null, null, 0, null, -1);
        if (spec == null) spec = spec(signature, name);
        ElementType type = declared != null ? declared : spec.type();
        shape = TensorJson.readShape(name, shapeNode);
        if (binarySize >= 0) {
            if (dataSeen) throw new InvalidInputException("input '" + name + "': both 'data' and parameters.binary_data_size are given (send one)");
        } else if (!dataSeen) {
            throw new InvalidInputException("input '" + name + "': 'data' is missing (an array of values)");
        }
        if (values != null && values.type() != type) values = null; // cannot happen: a later datatype that differs is refused above
        if (cutValues != null) {
            Object typed = cutValues.as(type);
            if (typed == null) throw new DataArrays.Unusable();
            return new Parsed(name, spec, type, shape, shapeNode, typed, cutValues.count(), null, binarySize);
        }
        return new Parsed(name, spec, type, shape, shapeNode, values == null ? null : values.array(),
                values == null ? 0 : values.size(), treeData, binarySize);
    }

    /** The dimensions when {@code node} is a valid shape, else null (only a size hint for the values that follow). */
    private static long[] tentativeShape(JsonNode node) {
        try {
            return TensorJson.readShape("?", node);
        } catch (InvalidInputException e) {
            return null;
        }
    }

    private static long safeCount(long[] shape) {
        try {
            return Tensor.elementCount(shape);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return -1;
        }
    }

    static long count(String name, long[] shape, JsonNode shapeNode) {
        try {
            return Tensor.elementCount(shape);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new InvalidInputException("input '" + name + "': bad shape " + shapeNode);
        }
    }

    /** A flat or nested array (or one scalar) of values into {@code sink}, in row-major order. */
    private static void readValues(JsonParser p, ValueSink sink, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY) {
            sink.add(p);
            return;
        }
        int depth = 1;
        while (depth > 0) {
            t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                if (++depth > 9) throw new InvalidInputException("input '" + name + "': data nested deeper than 8");
            } else if (t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == null) {
                throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "unexpected end of input in 'data' of '" + name + "'");
            } else {
                sink.add(p);
            }
        }
    }
}
