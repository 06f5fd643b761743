package io.prescale.simulator.engine;

/** Events on the simulator's heap, ordered by (time, sequence) so every run is deterministic. */
sealed interface SimEvent extends Comparable<SimEvent> {
    double time();

    long seq();

    @Override
    default int compareTo(SimEvent o) {
        int c = Double.compare(time(), o.time());
        return c != 0 ? c : Long.compare(seq(), o.seq());
    }

    /** The control loop runs the policy. */
    record ControlTick(double time, long seq) implements SimEvent {}

    /** One row of the per-interval time series is closed. */
    record ReportBoundary(double time, long seq) implements SimEvent {}

    /** A replica fails and must be replaced (failure injection). */
    record ReplicaFailure(double time, long seq, int model) implements SimEvent {}

    /** A spot node gets its interruption notice (see {@link SpotInterruptions}). */
    record SpotNotice(double time, long seq, String pool, int node) implements SimEvent {}

    /** A spot node is taken back by the provider, its notice over. */
    record SpotInterrupt(double time, long seq, String pool, int node) implements SimEvent {}

    /** The unscored warm-up ends and the scored window begins. */
    record ScoreStart(double time, long seq) implements SimEvent {}

    /** The scored window ends. */
    record End(double time, long seq) implements SimEvent {}
}
