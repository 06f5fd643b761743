package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileLock;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A second serve on the same state folder is refused; the folder is free again once the first lets go. */
class ServeStateLockTest {
    @Test
    void oneRunnerPerStateFolder(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("live");
        FileLock first = ServeCommand.lockState(state);
        assertThatThrownBy(() -> ServeCommand.lockState(state)).isInstanceOf(ConfigException.class)
                .hasMessage("--state: " + state + " is in use by another prescale serve: give each runner its own --state");
        first.channel().close();
        FileLock again = ServeCommand.lockState(state);
        assertThat(again.isValid()).isTrue();
        again.channel().close();
    }
}
