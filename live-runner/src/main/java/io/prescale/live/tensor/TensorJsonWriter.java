package io.prescale.live.tensor;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes output tensors with a {@link JsonGenerator} straight from their primitive arrays (no tree), in the
 * same forms as {@link TensorJson}: the runner's {name: {shape, datatype, data}} and the Open Inference
 * Protocol's [{name, shape, datatype, data}], where an output sent as binary gets
 * {@code "parameters": {"binary_data_size": N}} instead of data.
 */
public final class TensorJsonWriter {
    private TensorJsonWriter() {}

    /** The runner's form: an object of named tensors (the generator is where its value goes). */
    public static void writeNamed(JsonGenerator g, Map<String, Tensor> outputs) throws IOException {
        g.writeStartObject();
        for (Tensor t : outputs.values()) {
            g.writeFieldName(t.name());
            g.writeStartObject();
            writeBody(g, t, false);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The protocol's form: an array of tensors; those {@code binary} accepts are announced with their byte size, not written. */
    public static void writeProtocol(JsonGenerator g, Map<String, Tensor> outputs, Predicate<String> binary) throws IOException {
        g.writeStartArray();
        for (Tensor t : outputs.values()) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            writeBody(g, t, binary.test(t.name()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeBody(JsonGenerator g, Tensor t, boolean binary) throws IOException {
        g.writeFieldName("shape");
        g.writeStartArray();
        for (long d : t.shapeView()) g.writeNumber(d);
        g.writeEndArray();
        g.writeStringField("datatype", t.type().protocolName());
        if (binary) {
            g.writeFieldName("parameters");
            g.writeStartObject();
            g.writeNumberField("binary_data_size", BinaryTensors.size(t));
            g.writeEndObject();
            return;
        }
        g.writeFieldName("data");
        g.writeStartArray();
        switch (t.type()) {
            case FP32 -> { for (float v : (float[]) t.data()) g.writeNumber(v); }
            case FP64 -> { for (double v : (double[]) t.data()) g.writeNumber(v); }
            case INT64 -> { for (long v : (long[]) t.data()) g.writeNumber(v); }
            case INT32 -> { for (int v : (int[]) t.data()) g.writeNumber(v); }
            case INT8 -> { for (byte v : (byte[]) t.data()) g.writeNumber(v); }
            case UINT8 -> { for (byte v : (byte[]) t.data()) g.writeNumber(v & 0xff); }
            case BOOL -> { for (boolean v : (boolean[]) t.data()) g.writeBoolean(v); }
        }
        g.writeEndArray();
    }
}
