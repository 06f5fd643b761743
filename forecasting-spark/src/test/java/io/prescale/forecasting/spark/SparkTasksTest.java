package io.prescale.forecasting.spark;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Independent tasks on local[2]: results come back in input order, progress counts and names every task, a failure names its cause. */
class SparkTasksTest {

    @Test
    void resultsInInputOrderWithProgress() {
        List<Integer> inputs = IntStream.range(0, 9).boxed().toList();
        List<Integer> seen = new ArrayList<>(), finished = new ArrayList<>();
        SparkTasks.Outcome<String> o = SparkTasks.run("local[2]", "prescale-test", inputs, i -> i + "^2=" + (i * i), new SparkTasks.Progress() {
            @Override
            public void finished(int done, int total) {
                throw new AssertionError("told without the input that finished");
            }

            @Override
            public void finished(int done, int total, int input) {
                synchronized (seen) {
                    seen.add(done);
                    finished.add(input);
                }
                assertThat(total).isEqualTo(9);
            }
        });
        assertThat(o.results()).containsExactly("0^2=0", "1^2=1", "2^2=4", "3^2=9", "4^2=16", "5^2=25", "6^2=36", "7^2=49", "8^2=64");
        assertThat(o.parallelism()).isEqualTo(2);
        // the listener bus delivers task ends asynchronously but before the session stops
        assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        // and says which input each was (a sweep names the scenario): every one once, in the order they finished
        assertThat(finished).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aFailingTaskNamesItsCause() {
        assertThatThrownBy(() -> SparkTasks.run("local[1]", "prescale-test", List.of(1, 2, 3), i -> {
            if (i == 2) throw new IllegalArgumentException("scenario two: bad param");
            return i;
        }, SparkTasks.Progress.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scenario two: bad param");
    }
}
