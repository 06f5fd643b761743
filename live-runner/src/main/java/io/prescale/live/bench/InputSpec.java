package io.prescale.live.bench;

import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorSpec;

import io.prescale.core.config.ConfigException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic inputs for a model: {@code name=d1,d2,...[@value]} per input (a scalar is {@code name=@value});
 * inputs not named take their declared shape with symbolic dimensions set to 1. Floats are uniform in [0, 1)
 * unless a value is given; integers are 0 unless given.
 */
public final class InputSpec {
    private InputSpec() {}

    /**
     * The inputs {@code specs} do not name whose declared shape is open past the batch dimension, as
     * "name [1, ?, ?]": {@link #build} sets those dimensions to 1, which a model may reject or run far faster on
     * than on real requests.
     */
    public static List<String> guessed(ModelSignature sig, List<String> specs) {
        List<String> named = specs.stream().map(s -> s.contains("=") ? s.substring(0, s.indexOf('=')) : s).toList();
        List<String> out = new java.util.ArrayList<>();
        for (TensorSpec t : sig.inputs()) {
            long[] d = t.dims();
            if (named.contains(t.name()) || Arrays.stream(d).skip(1).noneMatch(x -> x < 0)) continue;
            out.add(t.name() + " " + Arrays.toString(Arrays.stream(d).mapToObj(x -> x < 0 ? "?" : Long.toString(x)).toArray()));
        }
        return out;
    }

    public static Map<String, Tensor> build(ModelSignature sig, List<String> specs, long seed) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq < 0) throw new ConfigException("--input " + s, "expected name=d1,d2[@value]");
            String name = s.substring(0, eq), rest = s.substring(eq + 1);
            if (sig.inputs().stream().noneMatch(t -> t.name().equals(name)))
                throw new ConfigException("--input " + s, "the model has no input '" + name + "' (its inputs: " + sig.inputNames() + ")");
            int at = rest.indexOf('@');
            try {
                if (at >= 0) {
                    values.put(name, Double.parseDouble(rest.substring(at + 1)));
                    rest = rest.substring(0, at);
                }
                long[] dims = rest.isBlank() ? new long[0] : Arrays.stream(rest.split(",")).mapToLong(d -> Long.parseLong(d.trim())).toArray();
                for (long d : dims) if (d < 1) throw new ConfigException("--input " + s, "dimensions must be >= 1");
                // one tensor of at most 2^28 elements (1 GB of floats): a typo in a dimension must not exhaust the heap
                if (Tensor.elementCount(dims) > (1L << 28)) throw new ConfigException("--input " + s, "more than 2^28 elements");
                shapes.put(name, dims);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConfigException("--input " + s, "expected name=d1,d2[@value] with whole-number dimensions and a numeric value");
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec t : sig.inputs()) {
            long[] dims = shapes.containsKey(t.name()) ? shapes.get(t.name()) : t.dims();
            for (int i = 0; i < dims.length; i++) if (dims[i] < 0) dims[i] = 1;
            int n = (int) Tensor.elementCount(dims);
            Double v = values.get(t.name());
            Object data = switch (t.type()) {
                case FP32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = v != null ? v.floatValue() : (float) rnd.nextDouble(); yield a; }
                case FP64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = v != null ? v : rnd.nextDouble(); yield a; }
                case INT64 -> { long[] a = new long[n]; if (v != null) Arrays.fill(a, v.longValue()); yield a; }
                case INT32 -> { int[] a = new int[n]; if (v != null) Arrays.fill(a, v.intValue()); yield a; }
                case INT8, UINT8 -> { byte[] a = new byte[n]; if (v != null) Arrays.fill(a, (byte) v.intValue()); yield a; }
                case BOOL -> new boolean[n];
            };
            out.put(t.name(), new Tensor(t.name(), t.type(), dims, data));
        }
        return out;
    }
}
