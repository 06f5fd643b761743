package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * serve's folders: by default the project's (the launcher's {@code prescale.home}), not the working folder's, so the
 * default store is the one fetch-models.sh fills wherever serve is started from; a named store that is missing or not a
 * folder is refused naming --model-store, before anything is created or served.
 */
class ServeModelStoreTest {
    @TempDir
    Path dir;
    private final String home = System.getProperty("prescale.home");

    @AfterEach
    void restoreHome() {
        if (home == null) System.clearProperty("prescale.home");
        else System.setProperty("prescale.home", home);
    }

    private ServeCommand serve(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    /** Runs serve to its first refusal (a start that gets past it would serve until stopped: bounded). */
    private void refused(ServeCommand cmd) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(cmd::call).isInstanceOf(ConfigException.class).hasMessageContaining("--model-store");
        });
    }

    @Test
    void defaultFoldersAreTheProjectsWhereverServeRunsFrom() {
        System.setProperty("prescale.home", dir.toString());
        ServeCommand cmd = serve("--port", "0");
        assertThat(cmd.requireModelStore()).isTrue(); // a fresh clone has none: created, with a warning
        assertThat(cmd.modelStore).isEqualTo(dir.resolve("model-store"));
        assertThat(dir.resolve("model-store")).isDirectory();
        assertThat(ProjectDefaults.state()).isEqualTo(dir.resolve(".prescale/live"));
        assertThat(serve("--port", "0").requireModelStore()).isFalse();
    }

    @Test
    void aNamedStoreThatIsMissingIsRefusedNotCreated() {
        Path missing = dir.resolve("model-stor"); // a typo
        refused(serve("--port", "0", "--state", dir.resolve("state").toString(), "--model-store", missing.toString()));
        assertThat(missing).doesNotExist();
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void aNamedStoreThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("store.onnx"), "not a folder");
        ServeCommand cmd = serve("--port", "0", "--state", dir.resolve("state").toString(), "--model-store", file.toString());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(cmd::call).isInstanceOf(ConfigException.class).hasMessageContaining("--model-store").hasMessageContaining("not a folder");
        });
    }
}
