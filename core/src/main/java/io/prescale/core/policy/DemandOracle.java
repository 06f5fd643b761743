package io.prescale.core.policy;

import java.time.Instant;

/**
 * Knowledge of the real future demand. Given only to the oracle policy (and to static peak sizing,
 * which stands for an operator who provisions for the known peak); never to a deployable policy.
 */
public interface DemandOracle {
    /** Requests of {@code model} arriving in [from, to). */
    long arrivals(String model, Instant from, Instant to);

    /** Highest arrival rate, requests per second, of {@code model} over any aligned window of {@code windowSeconds}. */
    double peakRate(String model, double windowSeconds);
}
