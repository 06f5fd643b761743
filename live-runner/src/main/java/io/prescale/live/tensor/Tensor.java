package io.prescale.live.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named dense tensor in row-major order. {@code data} is a primitive array matching {@code type}:
 * float[] (FP32), double[] (FP64), long[] (INT64), int[] (INT32), byte[] (INT8, UINT8), boolean[] (BOOL).
 */
public record Tensor(String name, ElementType type, long[] shape, Object data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        long expected = elementCount(shape);
        int actual = java.lang.reflect.Array.getLength(data);
        if (expected != actual)
            throw new IllegalArgumentException("input '" + name + "': shape " + Arrays.toString(shape) + " holds " + expected + " values, data has " + actual);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** Rows along the first dimension (1 for a scalar). */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Shape without copying, for hot paths that do not modify it. */
    long[] shapeView() {
        return shape;
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + " " + Arrays.toString(shape) + "]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t)) return false;
        return name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && Arrays.deepEquals(new Object[]{data}, new Object[]{t.data});
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape));
    }
}
