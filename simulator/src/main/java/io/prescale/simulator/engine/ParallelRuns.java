package io.prescale.simulator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent simulations on a fixed pool of daemon threads and returns their results in the order
 * given (so results never depend on the number of workers). A failure is rethrown as it was thrown.
 */
public final class ParallelRuns {
    private ParallelRuns() {}

    public static <T> List<T> run(List<Callable<T>> tasks, int workers) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, Math.max(1, tasks.size()))), r -> {
            Thread t = new Thread(r, "prescale-sim");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) futures.add(pool.submit(task));
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
