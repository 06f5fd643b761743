package io.prescale.live.tensor;

import ai.onnxruntime.OnnxJavaType;

import java.util.Locale;

/** Tensor element types the runner accepts, with their Open Inference Protocol and ONNX Runtime names. */
public enum ElementType {
    FP32("FP32", OnnxJavaType.FLOAT),
    FP64("FP64", OnnxJavaType.DOUBLE),
    INT64("INT64", OnnxJavaType.INT64),
    INT32("INT32", OnnxJavaType.INT32),
    INT8("INT8", OnnxJavaType.INT8),
    UINT8("UINT8", OnnxJavaType.UINT8),
    BOOL("BOOL", OnnxJavaType.BOOL);

    private final String protocolName;
    private final OnnxJavaType onnxType;

    ElementType(String protocolName, OnnxJavaType onnxType) {
        this.protocolName = protocolName;
        this.onnxType = onnxType;
    }

    public String protocolName() {
        return protocolName;
    }

    public OnnxJavaType onnxType() {
        return onnxType;
    }

    /** A zeroed primitive array of {@code n} elements of this type, as a {@link Tensor} holds its data. */
    public Object newArray(int n) {
        return switch (this) {
            case FP32 -> new float[n];
            case FP64 -> new double[n];
            case INT64 -> new long[n];
            case INT32 -> new int[n];
            case INT8, UINT8 -> new byte[n];
            case BOOL -> new boolean[n];
        };
    }

    /** The element type ONNX Runtime reports for a model input, or null when the runner cannot carry it. */
    public static ElementType of(OnnxJavaType t) {
        for (ElementType e : values()) if (e.onnxType == t) return e;
        return null;
    }

    /** Parses "FP32" / "float32" / "float" style names; the error lists what is accepted. */
    public static ElementType parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        switch (n) {
            case "FLOAT", "FLOAT32" -> { return FP32; }
            case "DOUBLE", "FLOAT64" -> { return FP64; }
            case "LONG" -> { return INT64; }
            case "INT" -> { return INT32; }
            case "BOOLEAN" -> { return BOOL; }
            default -> { }
        }
        for (ElementType e : values()) if (e.protocolName.equals(n)) return e;
        throw new IllegalArgumentException("unknown datatype " + Quoted.of(name) + " (one of FP32, FP64, INT64, INT32, INT8, UINT8, BOOL)");
    }
}
