package io.prescale.forecasting.spark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunFoldersTest {
    @Test
    void twoRunsInOneSecondWriteToTwoFolders(@TempDir Path root) {
        // forecast backtest and show took runs/<kind>/<utc>-<sha> as it was: a second run in the same second wrote into the first's
        Instant t = Instant.parse("2025-01-01T12:00:00Z");
        Path a = RunFolders.next(root, "backtest", t, "abc1234");
        Path b = RunFolders.next(root, "backtest", t.plusMillis(300), "abc1234");
        assertThat(a).isEqualTo(root.resolve("runs/backtest/20250101T120000Z-abc1234")).isDirectory();
        assertThat(b).isEqualTo(root.resolve("runs/backtest/20250101T120000Z-abc1234-2")).isDirectory();
        assertThat(RunFolders.next(root, "show", t, "abc1234")).isEqualTo(root.resolve("runs/show/20250101T120000Z-abc1234"));
    }
}
