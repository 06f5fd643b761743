package io.prescale.live.serve;

/** What a model server reports as it works (metrics hang off this). */
public interface ServeListener {
    void served(long latencyNanos);

    void batchRun(int batchSize, long runNanos);

    void rejected(Rejection.Kind kind);

    void replicaLoaded(long loadNanos, boolean coldStart);

    ServeListener NONE = new ServeListener() {
        @Override public void served(long latencyNanos) { }
        @Override public void batchRun(int batchSize, long runNanos) { }
        @Override public void rejected(Rejection.Kind kind) { }
        @Override public void replicaLoaded(long loadNanos, boolean coldStart) { }
    };
}
