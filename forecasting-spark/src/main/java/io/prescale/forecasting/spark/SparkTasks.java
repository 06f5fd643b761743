package io.prescale.forecasting.spark;

import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.util.List;

/**
 * Runs independent jobs as Spark tasks, one partition per input, and returns their results in input
 * order. Spark lives only in this module (the dependency rule), so other modules hand their work here as
 * a serializable {@link Task}; the sweep uses it to run scenarios on a cluster. The task's classes must be
 * on the executors' classpath (locally they are; on a cluster, submit the jars with {@code --jars}).
 */
public final class SparkTasks {
    private SparkTasks() {}

    /** One unit of work, shipped to an executor: it must not capture anything that does not serialise. */
    @FunctionalInterface
    public interface Task<I extends Serializable, O extends Serializable> extends Serializable {
        O run(I input) throws Exception;
    }

    /** Told on the driver each time a task succeeds (from Spark's listener thread, one call at a time). */
    @FunctionalInterface
    public interface Progress {
        void finished(int done, int total);

        /** As {@link #finished(int, int)}, with the index in the inputs of the task that finished. */
        default void finished(int done, int total, int input) {
            finished(done, total);
        }

        Progress NONE = (d, t) -> {};
    }

    /** What a run returned and how many task slots the cluster offered. */
    public record Outcome<O>(List<O> results, int parallelism) {}

    /**
     * Runs {@code task} over {@code inputs} on {@code master} (local[N], local[*], spark://host:port, yarn,
     * ...; null: the master spark-submit configured, else local[*]). Stops the session it started.
     *
     * @throws IllegalStateException naming the Spark failure when a task fails
     */
    public static <I extends Serializable, O extends Serializable> Outcome<O> run(String master, String appName, List<I> inputs,
                                                                               Task<I, O> task, Progress progress) {
        if (inputs.isEmpty()) return new Outcome<>(List.of(), 0);
        SparkSession spark = SparkSessions.start(master, appName);
        int total = inputs.size();
        // Spark's listener bus is asynchronous: after collect() the driver reports what it has not heard yet,
        // under one lock, so every count from 1 to total is told exactly once
        int[] done = {0};
        boolean[] closed = {false};
        boolean[] told = new boolean[total]; // one input per partition: a task's index is its input's
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                synchronized (done) {
                    int input = end.taskInfo().index();
                    if (!closed[0] && end.taskInfo().successful() && done[0] < total && input >= 0 && input < total && !told[input]) {
                        told[input] = true;
                        progress.finished(++done[0], total, input);
                    }
                }
            }
        };
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.sc().addSparkListener(listener);
            int parallelism = jsc.defaultParallelism();
            List<O> results = jsc.parallelize(inputs, total).map(task::run).collect();
            synchronized (done) {
                closed[0] = true;
                for (int i = 0; i < total; i++) if (!told[i]) progress.finished(++done[0], total, i);
            }
            return new Outcome<>(results, parallelism);
        } catch (Exception e) {
            // Spark wraps the task's exception in a stage-failure message that carries its text
            throw new IllegalStateException(e instanceof SparkException ? rootMessage(e) : String.valueOf(e.getMessage()), e);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            spark.stop();
        }
    }

    /** The task's own exception line from Spark's "Job aborted due to stage failure: ... : cause" text. */
    static String rootMessage(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        int cut = msg.indexOf("\n");
        String first = cut < 0 ? msg : msg.substring(0, cut);
        int failure = first.indexOf("): ");
        return failure < 0 ? first : first.substring(failure + 3);
    }
}
