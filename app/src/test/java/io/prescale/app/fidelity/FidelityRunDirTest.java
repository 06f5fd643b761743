package io.prescale.app.fidelity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FidelityRunDirTest {

    @Test
    void twoRunsStartedInOneSecondGetAFolderEach(@TempDir Path root) {
        // both got runs/fidelity/<utc>-<sha> and wrote fidelity.json, report.html and the chart over each other's
        Instant t = Instant.parse("2026-11-29T02:55:07Z");
        Path first = FidelityCommand.defaultRunDir(root, t), second = FidelityCommand.defaultRunDir(root, t);
        assertThat(first).isDirectory().isNotEqualTo(second);
        assertThat(second).isDirectory();
        assertThat(first.getFileName().toString()).startsWith("20261129T025507Z-");
        assertThat(second.getFileName().toString()).isEqualTo(first.getFileName() + "-2");
        assertThat(first.getParent()).isEqualTo(root.resolve("runs").resolve("fidelity"));
        assertThat(Files.exists(root.resolve("runs/fidelity"))).isTrue();
    }
}
