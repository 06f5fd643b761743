package io.prescale.live;

import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorBatching;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TensorBatchingTest {
    static Map<String, Tensor> req(float... v) {
        return Map.of("x", new Tensor("x", ElementType.FP32, new long[]{v.length / 2, 2}, v));
    }

    @Test
    void stacksAlongTheFirstDimensionAndSplitsBack() {
        var a = req(1, 2);
        var b = req(3, 4, 5, 6);
        assertThat(TensorBatching.compatible(a, b)).isTrue();
        Map<String, Tensor> batch = TensorBatching.concat(List.of(a, b));
        Tensor x = batch.get("x");
        assertThat(x.shape()).containsExactly(3, 2);
        assertThat((float[]) x.data()).containsExactly(1, 2, 3, 4, 5, 6);
        var parts = TensorBatching.split(Map.of("y", new Tensor("y", ElementType.FP32, new long[]{3, 2}, new float[]{10, 20, 30, 40, 50, 60})), new int[]{1, 2});
        assertThat((float[]) parts.get(0).get("y").data()).containsExactly(10, 20);
        assertThat(parts.get(1).get("y").shape()).containsExactly(2, 2);
        assertThat((float[]) parts.get(1).get("y").data()).containsExactly(30, 40, 50, 60);
    }

    @Test
    void differentTrailingShapesDoNotShareABatch() {
        var a = req(1, 2);
        var c = Map.of("x", new Tensor("x", ElementType.FP32, new long[]{1, 3}, new float[]{1, 2, 3}));
        assertThat(TensorBatching.compatible(a, c)).isFalse();
    }
}
