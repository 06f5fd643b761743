package io.prescale.live.serve;

import io.prescale.live.onnx.Replica;
import io.prescale.live.onnx.Replicas;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorBatching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/** The thread that drives one replica: takes batches from the model's queue, runs them, answers each request. */
final class ReplicaWorker implements Runnable {
    private static final long POLL_NANOS = 50_000_000L;

    private final ModelServer server;
    private final Replica replica;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Held while the session runs: by this worker for a batch, or by a request thread running one request directly. */
    private final ReentrantLock lease = new ReentrantLock();
    private boolean closed; // guarded by lease
    private volatile boolean stopping;

    ReplicaWorker(ModelServer server, Replica replica, int index) {
        this.server = server;
        this.replica = replica;
        this.thread = io.prescale.live.onnx.NativeThreads.create(this, "replica-" + server.name() + "-" + index);
    }

    void start() {
        thread.start();
    }

    Replica replica() {
        return replica;
    }

    /** Asks the worker to finish the batch in hand and close its session. */
    void stop() {
        stopping = true;
        server.queue().wakeTakers(); // a scaled-down replica must not take a request that arrives while it waits
    }

    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            while (!stopping || server.drainingWithWork()) {
                List<InferenceRequest> batch;
                try {
                    batch = server.queue().takeBatch(server.maxBatchRows(), server.maxQueueDelayNanos(), POLL_NANOS, server::expire,
                            () -> stopping && !server.drainingWithWork());
                } catch (InterruptedException e) {
                    break;
                }
                if (batch.isEmpty()) {
                    if (server.queueClosedAndEmpty()) break;
                    continue;
                }
                lease.lock();
                try {
                    runBatch(batch);
                } finally {
                    lease.unlock();
                }
            }
        } finally {
            lease.lock();
            try {
                closed = true;
                replica.close();
            } finally {
                lease.unlock();
            }
            server.workerExited(this); // before it says it stopped: a drain that saw it stop sees it gone
            stopped.countDown();
        }
    }

    /**
     * Runs {@code r} alone on the calling thread when this replica is idle at this moment (its worker waits on
     * the queue); returns false, without running it, when the replica is busy, stopping or closed. Spares the
     * request two thread hand-offs (to the worker and back), which on a small busy machine cost more than a
     * small model's inference.
     */
    boolean tryRunNow(InferenceRequest r) {
        if (stopping || !lease.tryLock()) return false;
        try {
            if (closed || stopping) return false;
            runBatch(List.of(r));
            return true;
        } finally {
            lease.unlock();
        }
    }

    private void runBatch(List<InferenceRequest> batch) {
        int[] rows = new int[batch.size()];
        List<Map<String, Tensor>> inputs = new ArrayList<>(batch.size());
        int totalRows = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = batch.get(i).rows;
            totalRows += rows[i];
            inputs.add(batch.get(i).inputs);
        }
        server.inService(totalRows);
        long start = System.nanoTime();
        try {
            Map<String, Tensor> out = replica.run(TensorBatching.concat(inputs));
            long end = System.nanoTime();
            server.batchDone(totalRows, end - start, true);
            List<Map<String, Tensor>> parts = TensorBatching.split(out, rows);
            for (int i = 0; i < rows.length; i++) server.complete(batch.get(i), parts.get(i), end);
        } catch (Exception | LinkageError e) {
            long end = System.nanoTime();
            server.batchDone(totalRows, end - start, false);
            if (!replica.alive()) {
                // nothing more will run here: answer this batch, stop, and let the server start a replacement
                stopping = true;
                server.replicaDied(this, e);
                long retry = Math.max(1, (long) Math.ceil(server.lastLoadNanos() / 1e9));
                for (InferenceRequest r : batch)
                    server.fail(r, new Rejection(Rejection.Kind.REPLICA_LOST, "the replica running it died (" + e.getMessage() + ")", retry));
                return;
            }
            if (batch.size() > 1) {
                // one request's values may have broken the whole batch: give each its own run and answer
                for (InferenceRequest r : batch) runBatch(List.of(r));
                return;
            }
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
            for (InferenceRequest r : batch) server.fail(r, new Rejection(Rejection.Kind.RUN_FAILED, "model run failed: " + why, 1));
        } finally {
            server.inService(-totalRows);
        }
    }
}
