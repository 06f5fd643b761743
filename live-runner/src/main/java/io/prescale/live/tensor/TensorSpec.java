package io.prescale.live.tensor;

import java.util.Arrays;

/** What a model declares for one input or output: element type and dimensions (-1 where symbolic). */
public record TensorSpec(String name, ElementType type, long[] dims) {
    public TensorSpec {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && type == t.type && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + ":" + type.protocolName() + describe();
    }

    public int rank() {
        return dims.length;
    }

    /** Whether the first dimension is free, so requests can be stacked along it. */
    public boolean batchDimension() {
        return dims.length > 0 && dims[0] < 0;
    }

    /** Throws when {@code t} does not match this spec; the message names the input and the dimension. */
    public void check(Tensor t) {
        if (t.type() != type)
            throw new InvalidInputException("input '" + name + "': datatype " + t.type().protocolName() + " but the model expects " + type.protocolName());
        long[] shape = t.shapeView();
        if (shape.length != dims.length)
            throw new InvalidInputException("input '" + name + "': shape " + Arrays.toString(shape) + " has rank " + shape.length
                    + " but the model expects rank " + dims.length + " " + describe());
        for (int i = 0; i < dims.length; i++) {
            // an empty tensor is never a real request, and some models' native code aborts the process on one
            if (shape[i] == 0 && dims[i] != 0)
                throw new InvalidInputException("input '" + name + "': dimension " + i + " is 0: an empty tensor is not served " + describe());
            if (dims[i] >= 0 && dims[i] != shape[i])
                throw new InvalidInputException("input '" + name + "': dimension " + i + " is " + shape[i] + " but the model expects " + dims[i] + " " + describe());
        }
    }

    /** Dimensions as people read them: [-1, 4] becomes [N, 4]. */
    public String describe() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) b.append(", ");
            b.append(dims[i] < 0 ? "N" : Long.toString(dims[i]));
        }
        return b.append(']').toString();
    }
}
