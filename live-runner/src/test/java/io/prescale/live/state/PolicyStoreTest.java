package io.prescale.live.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The active policy's name as recorded for a restart. */
class PolicyStoreTest {
    @TempDir
    Path dir;

    @Test
    void anActiveNameYamlWouldReadAsAnotherValueComesBackAsItIs() {
        PolicyStore store = new PolicyStore(dir, 10);
        // valid policy names that plain YAML reads as null, a number or a boolean: "null" came back as no active policy at
        // all (the restart resumed none, silently), "1.50" as 1.5, "010" as 8 (no such file)
        for (String name : new String[]{"null", "Null", "1.50", "010", "0x1F", "1e3", "true", "no", "1_000", "plain"}) {
            store.setActive(name);
            assertThat(store.active()).as(name).contains(name);
        }
    }

    @Test
    void aRecordWrittenUnquotedByAnEarlierRunnerStillReads() throws Exception {
        Files.writeString(dir.resolve("active-policy.yaml"), "active: hpa-tuned\n");
        assertThat(new PolicyStore(dir, 10).active()).contains("hpa-tuned");
        Files.writeString(dir.resolve("active-policy.yaml"), "active: 1.50\n");
        assertThat(new PolicyStore(dir, 10).active()).contains("1.50");
    }

    @Test
    void aRecordThatNamesNoPolicyIsAnErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("active-policy.yaml"), "active: [a, b]\n");
        assertThatThrownBy(() -> new PolicyStore(dir, 10).active()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("active-policy.yaml");
    }
}
