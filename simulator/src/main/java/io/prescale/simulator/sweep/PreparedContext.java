package io.prescale.simulator.sweep;

import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.setup.TraceSetup;

/** A context with its trace loaded and its simulation setup built: shared by the scenarios run in it. */
public record PreparedContext(Scenario.Context context, TraceSetup trace, SimulationSetup setup) {}
