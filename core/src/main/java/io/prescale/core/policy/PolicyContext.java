package io.prescale.core.policy;

import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;

import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What a policy may use: the loop's clock (virtual in simulation, system in the live runner), a seeded
 * random generator, the forecaster fed by the loop, the cost model, and the oracle only for the oracle.
 */
public record PolicyContext(InstantSource clock, RandomGenerator random, Forecaster forecaster,
                            CostModel costModel, Optional<DemandOracle> oracle) {
    public PolicyContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(forecaster, "forecaster");
        Objects.requireNonNull(costModel, "costModel");
        Objects.requireNonNull(oracle, "oracle");
    }
}
