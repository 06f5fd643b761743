package io.prescale.live.serve;

import io.prescale.core.model.PriorityClass;
import io.prescale.live.tensor.Tensor;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One admitted request waiting in a model's queue; times are {@link System#nanoTime()} readings. */
public final class InferenceRequest {
    final Map<String, Tensor> inputs;
    final int rows;
    final PriorityClass priority;
    final long arrivedNanos;
    final long deadlineNanos;
    final CompletableFuture<Map<String, Tensor>> result = new CompletableFuture<>();

    InferenceRequest(Map<String, Tensor> inputs, int rows, PriorityClass priority, long arrivedNanos, long deadlineNanos) {
        this.inputs = inputs;
        this.rows = rows;
        this.priority = priority;
        this.arrivedNanos = arrivedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    public CompletableFuture<Map<String, Tensor>> result() {
        return result;
    }
}
