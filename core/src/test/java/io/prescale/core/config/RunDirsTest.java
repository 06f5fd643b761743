package io.prescale.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunDirsTest {
    @Test
    void runsInOneSecondGetFoldersOfTheirOwn(@TempDir Path root) throws Exception {
        // three runs at 12:00:00.1, .5 and .9 of one commit were given one folder and wrote into each other's files
        Path parent = root.resolve("runs").resolve("backtest");
        String name = RunDirs.name(Instant.parse("2025-01-01T12:00:00.100Z"), "abc1234");
        assertThat(name).isEqualTo("20250101T120000Z-abc1234");
        Path first = RunDirs.claim(parent, name);
        Files.writeString(first.resolve("backtest.json"), "{}");
        Path second = RunDirs.claim(parent, RunDirs.name(Instant.parse("2025-01-01T12:00:00.500Z"), "abc1234"));
        Path third = RunDirs.claim(parent, RunDirs.name(Instant.parse("2025-01-01T12:00:00.900Z"), "abc1234"));
        assertThat(first).isEqualTo(parent.resolve("20250101T120000Z-abc1234")).isDirectory();
        assertThat(second).isEqualTo(parent.resolve("20250101T120000Z-abc1234-2")).isDirectory().isEmptyDirectory();
        assertThat(third).isEqualTo(parent.resolve("20250101T120000Z-abc1234-3")).isDirectory().isEmptyDirectory();
        assertThat(first.resolve("backtest.json")).hasContent("{}");
        // the next second's run has its own name again
        assertThat(RunDirs.claim(parent, RunDirs.name(Instant.parse("2025-01-01T12:00:01Z"), "abc1234"))).isEqualTo(parent.resolve("20250101T120001Z-abc1234"));
    }
}
