package io.prescale.live.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/** Copies between the runner's {@link Tensor} and ONNX Runtime's native tensors. */
final class OnnxTensors {
    private OnnxTensors() {}

    static OnnxTensor toOnnx(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = t.shape();
        return switch (t.type()) {
            case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) t.data()), shape);
            case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) t.data()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) t.data()), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap((int[]) t.data()), shape);
            case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) t.data()), shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) t.data()), shape, OnnxJavaType.UINT8);
            case BOOL -> {
                boolean[] b = (boolean[]) t.data();
                ByteBuffer buf = ByteBuffer.allocateDirect(b.length).order(ByteOrder.nativeOrder());
                for (boolean v : b) buf.put((byte) (v ? 1 : 0));
                buf.rewind();
                yield OnnxTensor.createTensor(env, buf, shape, OnnxJavaType.BOOL);
            }
        };
    }

    static Tensor fromOnnx(String name, OnnxTensor t) {
        ElementType type = ElementType.of(t.getInfo().type);
        if (type == null) throw new IllegalStateException("output '" + name + "' has element type " + t.getInfo().type + " which the runner cannot return");
        long[] shape = t.getInfo().getShape();
        Object data = switch (type) {
            case FP32 -> { FloatBuffer b = t.getFloatBuffer(); float[] a = new float[b.remaining()]; b.get(a); yield a; }
            case FP64 -> { DoubleBuffer b = t.getDoubleBuffer(); double[] a = new double[b.remaining()]; b.get(a); yield a; }
            case INT64 -> { LongBuffer b = t.getLongBuffer(); long[] a = new long[b.remaining()]; b.get(a); yield a; }
            case INT32 -> { IntBuffer b = t.getIntBuffer(); int[] a = new int[b.remaining()]; b.get(a); yield a; }
            case INT8, UINT8 -> { ByteBuffer b = t.getByteBuffer(); byte[] a = new byte[b.remaining()]; b.get(a); yield a; }
            case BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean[] a = new boolean[b.remaining()];
                for (int i = 0; i < a.length; i++) a[i] = b.get() != 0;
                yield a;
            }
        };
        return new Tensor(name, type, shape, data);
    }
}
