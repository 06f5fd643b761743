package io.prescale.live.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw little-endian tensor bytes, as the Open Inference Protocol's binary tensor data extension (KServe v2 /
 * Triton) carries them after the JSON header: row-major, BOOL one byte per element (0 or 1).
 */
public final class BinaryTensors {
    private BinaryTensors() {}

    public static int elementBytes(ElementType type) {
        return switch (type) {
            case FP32, INT32 -> 4;
            case FP64, INT64 -> 8;
            case INT8, UINT8, BOOL -> 1;
        };
    }

    /** {@code count} elements from {@code body} at {@code offset} (the caller checked the length). */
    public static Object decode(ElementType type, byte[] body, int offset, int count) {
        ByteBuffer b = ByteBuffer.wrap(body, offset, count * elementBytes(type)).slice().order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case FP32 -> { float[] a = new float[count]; b.asFloatBuffer().get(a); yield a; }
            case FP64 -> { double[] a = new double[count]; b.asDoubleBuffer().get(a); yield a; }
            case INT64 -> { long[] a = new long[count]; b.asLongBuffer().get(a); yield a; }
            case INT32 -> { int[] a = new int[count]; b.asIntBuffer().get(a); yield a; }
            case INT8, UINT8 -> { byte[] a = new byte[count]; b.get(a); yield a; }
            case BOOL -> {
                boolean[] a = new boolean[count];
                for (int i = 0; i < count; i++) {
                    byte v = b.get(i);
                    if (v != 0 && v != 1) throw new InvalidInputException("binary BOOL data: byte " + i + " is " + v + ", not 0 or 1");
                    a[i] = v == 1;
                }
                yield a;
            }
        };
    }

    /** Bytes {@code t} takes on the wire. */
    public static int size(Tensor t) {
        return Math.toIntExact(t.elementCount() * elementBytes(t.type()));
    }

    /** Writes {@code t}'s elements into {@code out} at its position (little-endian), advancing it. */
    public static void encode(Tensor t, ByteBuffer out) {
        ByteBuffer b = out.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.type()) {
            case FP32 -> b.asFloatBuffer().put((float[]) t.data());
            case FP64 -> b.asDoubleBuffer().put((double[]) t.data());
            case INT64 -> b.asLongBuffer().put((long[]) t.data());
            case INT32 -> b.asIntBuffer().put((int[]) t.data());
            case INT8, UINT8 -> b.put((byte[]) t.data());
            case BOOL -> { for (boolean v : (boolean[]) t.data()) b.put((byte) (v ? 1 : 0)); }
        }
        out.position(out.position() + size(t));
    }

    /** {@code t} as little-endian bytes. */
    public static byte[] encode(Tensor t) {
        ByteBuffer out = ByteBuffer.allocate(size(t));
        encode(t, out);
        return out.array();
    }
}
