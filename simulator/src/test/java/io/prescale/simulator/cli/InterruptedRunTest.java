package io.prescale.simulator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Ctrl-C during a run: an empty folder the run made is removed, anything else is left and said. */
class InterruptedRunTest {
    @Test
    void anEmptyFolderTheRunMadeIsRemoved(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("runs/simulate-servegen/20261128T000000Z-abc"));
        assertThat(InterruptedRun.tidy(dir, true)).isEqualTo("no results (the empty run folder " + dir + " is removed)");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aFolderTheUserGaveOrOneWithFilesIsKept(@TempDir Path tmp) throws Exception {
        Path given = Files.createDirectories(tmp.resolve("mine"));
        assertThat(InterruptedRun.tidy(given, false)).isEqualTo("nothing written to " + given);
        assertThat(given).isDirectory();
        Path written = Files.createDirectories(tmp.resolve("w"));
        Files.writeString(written.resolve("summary.json"), "{}");
        assertThat(InterruptedRun.tidy(written, true)).isEqualTo("the files written so far are in " + written);
        assertThat(written.resolve("summary.json")).exists();
    }

    @Test
    void theNoteIsDisarmedAfterTheRun(@TempDir Path tmp) {
        InterruptedRun guard = InterruptedRun.arm("prescale simulate", tmp, false, System.err);
        // armed: the hook is registered (removing it says so); put back for close() to take off
        assertThat(Runtime.getRuntime().removeShutdownHook(guard.hook)).as("armed").isTrue();
        Runtime.getRuntime().addShutdownHook(guard.hook);
        guard.close();
        assertThat(Runtime.getRuntime().removeShutdownHook(guard.hook)).as("disarmed").isFalse();
        assertThatCode(guard::close).as("twice is harmless").doesNotThrowAnyException();
    }
}
