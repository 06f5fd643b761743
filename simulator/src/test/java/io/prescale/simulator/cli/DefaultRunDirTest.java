package io.prescale.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** simulate's and sweep's default run folder is the run's own, also for two runs started in one second. */
class DefaultRunDirTest {
    @Test
    void twoRunsInOneSecondGetTwoFolders(@TempDir Path root) throws Exception {
        // runs/<experiment>/<utc>-<sha> was returned as it was: the second run replaced the first's summary.json ("holds an
        // earlier run") or, both running, wrote into the same files
        String sha = System.getProperty("prescale.gitsha", "nogit");
        Instant t = Instant.parse("2025-01-01T12:00:00Z");
        Path a = SimulateCommand.defaultRunDir(root, "simulate-servegen", t);
        Files.writeString(a.resolve("summary.json"), "{}");
        Path b = SimulateCommand.defaultRunDir(root, "simulate-servegen", t.plusMillis(400));
        assertThat(a).isEqualTo(root.resolve("runs/simulate-servegen/20250101T120000Z-" + sha));
        assertThat(b).isEqualTo(root.resolve("runs/simulate-servegen/20250101T120000Z-" + sha + "-2")).isEmptyDirectory();
        // made by the run, so an interrupted run that wrote nothing removes it (created = true), and leaves the first's
        assertThat(InterruptedRun.tidy(b, true)).startsWith("no results");
        assertThat(a.resolve("summary.json")).exists();
    }
}
