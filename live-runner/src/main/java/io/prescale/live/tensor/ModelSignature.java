package io.prescale.live.tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A model's inputs and outputs as ONNX declares them. */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** Requests can be stacked along dimension 0 only if every input and output has a free first dimension. */
    public boolean batchable() {
        return !inputs.isEmpty() && inputs.stream().allMatch(TensorSpec::batchDimension)
                && outputs.stream().allMatch(TensorSpec::batchDimension);
    }

    /** Checks that {@code tensors} names every input exactly once with the right type and shape. */
    public void check(Map<String, Tensor> tensors) {
        Set<String> expected = new HashSet<>();
        for (TensorSpec s : inputs) {
            expected.add(s.name());
            Tensor t = tensors.get(s.name());
            if (t == null) throw new InvalidInputException("missing input '" + s.name() + "' (" + s.type().protocolName() + " " + s.describe() + ")");
            s.check(t);
        }
        List<String> unknown = new ArrayList<>();
        for (String n : tensors.keySet()) if (!expected.contains(n)) unknown.add(n);
        if (!unknown.isEmpty()) throw new InvalidInputException("unknown input(s) " + unknown + " (the model takes " + inputNames() + ")");
        if (batchable()) {
            long rows = -1;
            for (Tensor t : tensors.values()) {
                if (rows >= 0 && t.rows() != rows)
                    throw new InvalidInputException("inputs disagree on the batch dimension: " + rows + " vs " + t.rows() + " rows in '" + t.name() + "'");
                rows = t.rows();
            }
        }
    }

    public List<String> inputNames() {
        return inputs.stream().map(TensorSpec::name).toList();
    }
}
