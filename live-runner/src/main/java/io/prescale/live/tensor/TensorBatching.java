package io.prescale.live.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stacks several requests' tensors along dimension 0 and splits the outputs back. */
public final class TensorBatching {
    private TensorBatching() {}

    /** Whether two requests can share a batch: same inputs with the same trailing dimensions. */
    public static boolean compatible(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (a.size() != b.size()) return false;
        for (var e : a.entrySet()) {
            Tensor o = b.get(e.getKey());
            if (o == null) return false;
            long[] x = e.getValue().shapeView(), y = o.shapeView();
            if (x.length != y.length || x.length == 0) return false;
            for (int i = 1; i < x.length; i++) if (x[i] != y[i]) return false;
        }
        return true;
    }

    /** Rows of a request along dimension 0 (all inputs agree, checked at admission). */
    public static int rows(Map<String, Tensor> inputs) {
        return (int) inputs.values().iterator().next().rows();
    }

    public static Map<String, Tensor> concat(List<Map<String, Tensor>> requests) {
        if (requests.size() == 1) return requests.get(0);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : requests.get(0).keySet()) {
            List<Tensor> parts = new ArrayList<>(requests.size());
            for (Map<String, Tensor> r : requests) parts.add(r.get(name));
            out.put(name, concat(name, parts));
        }
        return out;
    }

    static Tensor concat(String name, List<Tensor> parts) {
        Tensor first = parts.get(0);
        long[] shape = first.shape();
        long rows = 0;
        int total = 0;
        for (Tensor t : parts) {
            rows += t.rows();
            total += java.lang.reflect.Array.getLength(t.data());
        }
        shape[0] = rows;
        Object data = java.lang.reflect.Array.newInstance(first.data().getClass().getComponentType(), total);
        int at = 0;
        for (Tensor t : parts) {
            int n = java.lang.reflect.Array.getLength(t.data());
            System.arraycopy(t.data(), 0, data, at, n);
            at += n;
        }
        return new Tensor(name, first.type(), shape, data);
    }

    /** Splits each output along dimension 0 into pieces of {@code rows[i]} rows, one map per request. */
    public static List<Map<String, Tensor>> split(Map<String, Tensor> outputs, int[] rows) {
        List<Map<String, Tensor>> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) out.add(new LinkedHashMap<>());
        if (rows.length == 1) {
            out.get(0).putAll(outputs);
            return out;
        }
        long totalRows = Arrays.stream(rows).asLongStream().sum();
        for (Tensor t : outputs.values()) {
            long[] shape = t.shape();
            if (shape.length == 0 || shape[0] != totalRows)
                throw new IllegalStateException("output '" + t.name() + "' " + Arrays.toString(shape) + " is not stacked along the batch");
            int perRow = (int) (Tensor.elementCount(shape) / totalRows);
            int at = 0;
            for (int i = 0; i < rows.length; i++) {
                int n = rows[i] * perRow;
                Object part = java.lang.reflect.Array.newInstance(t.data().getClass().getComponentType(), n);
                System.arraycopy(t.data(), at, part, 0, n);
                at += n;
                long[] s = shape.clone();
                s[0] = rows[i];
                out.get(i).put(t.name(), new Tensor(t.name(), t.type(), s, part));
            }
        }
        return out;
    }
}
