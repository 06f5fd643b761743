package io.prescale.core.model;

/**
 * Service time of one replica on one hardware type. A batch of {@code b} plain requests takes
 * {@code baseSeconds + perItemSeconds * b}; a request that carries token counts adds
 * {@code perInputTokenSeconds * in + perOutputTokenSeconds * out} (prefill and decode).
 * Linear in the batch size because that is what measured profiles of batched inference fit well
 * (and what {@code prescale profile} fits for the live runner).
 */
public record LatencyProfile(double baseSeconds, double perItemSeconds,
                             double perInputTokenSeconds, double perOutputTokenSeconds) {

    public LatencyProfile {
        if (!(baseSeconds >= 0) || !(perItemSeconds >= 0) || !(perInputTokenSeconds >= 0) || !(perOutputTokenSeconds >= 0))
            throw new IllegalArgumentException("latency profile terms must be >= 0");
        if (baseSeconds + perItemSeconds <= 0)
            throw new IllegalArgumentException("latency profile gives a zero service time");
    }

    public static LatencyProfile linear(double baseSeconds, double perItemSeconds) {
        return new LatencyProfile(baseSeconds, perItemSeconds, 0, 0);
    }

    /** Seconds to serve a batch of {@code batch} requests of the nominal size. */
    public double batchSeconds(int batch) {
        return baseSeconds + perItemSeconds * Math.max(1, batch);
    }

    /** Seconds to serve one request alone, from its token counts where the trace has them. */
    public double requestSeconds(int inputTokens, int outputTokens) {
        return batchSeconds(1) + perInputTokenSeconds * Math.max(0, inputTokens) + perOutputTokenSeconds * Math.max(0, outputTokens);
    }

    /** How much slower a batch of {@code batch} is than a single request: applied to the longest request in it. */
    public double batchStretch(int batch) {
        return batchSeconds(batch) / batchSeconds(1);
    }

    /** Peak throughput of one replica, in requests per second, at full batches. */
    public double maxThroughput(int maxBatch) {
        return maxBatch / batchSeconds(maxBatch);
    }
}
