package io.prescale.core.policy;

import java.time.Instant;

/**
 * Knowledge of the real future demand. Given only to the oracle policy (and to static peak sizing,
 * which stands for an operator who provisions for the known peak); never to a deployable policy.
 */
public interface DemandOracle {
    /**
     * Requests of {@code model} expected in [from, to): the recorded count of a request trace (times the rate
     * scale), rate x time for a per-interval trace. Fractional: a window expecting 0.3 requests expects some
     * demand, which a count rounded to 0 would hide.
     */
    double arrivals(String model, Instant from, Instant to);

    /**
     * The end of the known future: no demand is expected from it on (the end of the simulated window). A look-ahead
     * stops there; one over a model's whole load time (days, in a stress run) spent minutes per tick on nothing.
     */
    default Instant end() {
        return Instant.MAX;
    }

    /** Highest arrival rate, requests per second, of {@code model} over any aligned window of {@code windowSeconds}. */
    double peakRate(String model, double windowSeconds);
}
