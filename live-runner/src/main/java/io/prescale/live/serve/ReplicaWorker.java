package io.prescale.live.serve;

import io.prescale.live.onnx.Replica;
import io.prescale.live.onnx.Replicas;
import io.prescale.live.tensor.Tensor;
import io.prescale.live.tensor.TensorBatching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The thread that drives one replica: takes batches from the model's queue, runs them, answers each request. */
final class ReplicaWorker implements Runnable {
    private static final long POLL_NANOS = 50_000_000L;

    private final ModelServer server;
    private final Replica replica;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
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
                    batch = server.queue().takeBatch(server.maxBatchRows(), server.maxQueueDelayNanos(), POLL_NANOS, server::expire);
                } catch (InterruptedException e) {
                    break;
                }
                if (batch.isEmpty()) {
                    if (server.queueClosedAndEmpty()) break;
                    continue;
                }
                runBatch(batch);
            }
        } finally {
            replica.close();
            stopped.countDown();
            server.workerExited(this);
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
            server.batchDone(totalRows, end - start);
            List<Map<String, Tensor>> parts = TensorBatching.split(out, rows);
            for (int i = 0; i < rows.length; i++) server.complete(batch.get(i), parts.get(i), end);
        } catch (Exception | LinkageError e) {
            long end = System.nanoTime();
            server.batchDone(totalRows, end - start);
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
