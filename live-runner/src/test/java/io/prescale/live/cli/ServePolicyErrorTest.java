package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** serve --policy with a mistake in the file: the message names the flag and the file before the field. */
class ServePolicyErrorTest {
    @TempDir
    Path dir;

    private ConfigException refused(String policyYaml) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), policyYaml);
        ServeCommand cmd = new ServeCommand();
        // a state folder of its own each time: a start that failed in this JVM may still hold the last one's lock
        new CommandLine(cmd).parseArgs("--port", "0", "--state", Files.createTempDirectory(dir, "state").toString(), "--model-store",
                Files.createDirectories(dir.resolve("store")).toString(), "--policy", bad.toString());
        ConfigException[] thrown = new ConfigException[1];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                cmd.call();
            } catch (ConfigException e) {
                thrown[0] = e;
            }
        });
        if (thrown[0] == null) throw new AssertionError("serve started with " + policyYaml);
        return thrown[0];
    }

    @Test
    void aBadParameterNamesTheFlagAndTheFile() throws Exception {
        // was "params.targetUtilization: targetUtilization must be in (0, 1]": which file, given how?
        String file = dir.resolve("bad.yaml").toString();
        assertThatThrownBy(() -> { throw refused("schema: prescale.policy/v1\nname: bad\npolicy: predictive.aws-style\nparams:\n  targetUtilization: 2\n"); })
                .hasMessageStartingWith("--policy " + file + ": params.targetUtilization: ").hasMessageContaining("must be in (0, 1]");
        // a mistake found while reading the file reads the same way (the file named once)
        assertThatThrownBy(() -> { throw refused("schema: prescale.policy/v1\nname: bad\npolicy: reactive.hpx\n"); })
                .hasMessageStartingWith("--policy " + file + ": policy: ");
    }
}
