package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** serve --policy: one that would be one too many (--max-policies), or that gives a duration as a bare number, is refused before anything is served or stored. */
class ServePolicyLimitTest {
    @TempDir
    Path dir;

    private ServeCommand serve(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void aNewPolicyPastTheLimitIsRefusedAtStart() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state.resolve("policies"));
        Files.writeString(state.resolve("policies/stored.yaml"), "schema: prescale.policy/v1\nname: stored\npolicy: reactive.hpa\n");
        Path winner = Files.writeString(dir.resolve("winner.yaml"), "schema: prescale.policy/v1\nname: winner\npolicy: reactive.hpa\n");
        ServeCommand cmd = serve("--port", "0", "--state", state.toString(), "--model-store", Files.createDirectories(dir.resolve("store")).toString(),
                "--max-policies", "1", "--policy", winner.toString());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(cmd::call).isInstanceOf(ConfigException.class).hasMessageContaining("--policy")
                    .hasMessageContaining("maximum of 1 policies (serve --max-policies)");
        });
        assertThat(state.resolve("policies/winner.yaml")).doesNotExist();
    }

    @Test
    void aPolicyFileWithABareNumberForADurationIsRefusedNamingTheField() throws Exception {
        // a winner.yaml edited by hand: "scaleDownStabilization: 300" ran as 300 s whatever was meant
        Path state = dir.resolve("state");
        Path file = Files.writeString(dir.resolve("winner.yaml"),
                "schema: prescale.policy/v1\nname: winner\npolicy: reactive.hpa\nparams: {scaleDownStabilization: 300}\n");
        ServeCommand cmd = serve("--port", "0", "--state", state.toString(), "--model-store", Files.createDirectories(dir.resolve("store")).toString(),
                "--policy", file.toString());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(cmd::call).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("params.scaleDownStabilization: '300' has no unit: write 300s, 300m, 300h or 300d");
        });
        assertThat(state.resolve("policies/winner.yaml")).doesNotExist();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        ServeCommand cmd = serve("--port", "0", "--state", dir.resolve("state").toString(), "--max-policies", "0");
        assertThatThrownBy(cmd::call).isInstanceOf(ConfigException.class).hasMessageContaining("--max-policies");
    }
}
