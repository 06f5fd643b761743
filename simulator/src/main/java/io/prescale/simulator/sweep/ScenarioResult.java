package io.prescale.simulator.sweep;

import io.prescale.simulator.metrics.RunResult;

/** A scenario and what its simulation measured. */
public record ScenarioResult(Scenario scenario, RunResult result) {}
