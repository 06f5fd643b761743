package io.prescale.simulator.cost;

import io.prescale.simulator.engine.SimulationSetup;

import java.util.function.UnaryOperator;

/**
 * A cost-saving change with its predicted saving, and the change itself as a transformation of the
 * simulation setup so it can be verified by re-simulating.
 */
public record Recommendation(String kind, String target, String description, double predictedSavingUsd,
                             UnaryOperator<SimulationSetup> apply) {}
