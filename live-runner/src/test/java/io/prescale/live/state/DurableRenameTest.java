package io.prescale.live.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner's renames sync their folder: a rename whose folder was not synced may be undone by a power cut. (The decision
 * log's rotation uses the same move; its rename was already followed by the new log's creation, which syncs the folder.)
 */
class DurableRenameTest {
    @TempDir
    Path dir;

    final List<Path> synced = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void unhook() {
        DurableFiles.onDirectorySynced = d -> {};
    }

    @Test
    void aCorruptRegistrationSetAsideAtStartIsSyncedInItsFolder() throws Exception {
        Path state = dir.toAbsolutePath().resolve("state");
        Path models = state.resolve("models");
        Files.createDirectories(models);
        Files.writeString(models.resolve("x0.json"), "{\"name\":\"x0\",\n  \"file\": affine.onnx}\n");
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        DurableFiles.onDirectorySynced = synced::add;
        var registry = new io.prescale.live.registry.ModelRegistry(state, new io.prescale.live.registry.ModelStore(store),
                new io.prescale.live.metrics.LiveMetrics(), Runnable::run, 0.04, 10);
        try {
            assertThat(registry.restore()).singleElement().asString().contains("kept aside as x0.json.corrupt");
            assertThat(models.resolve("x0.json.corrupt")).exists();
            // the restore wrote nothing else there: the set-aside's own sync is the only one of the models folder
            assertThat(synced).contains(models);
        } finally {
            registry.close();
        }
    }

    @Test
    void aMoveSyncsBothFolders() throws Exception {
        Path a = dir.toAbsolutePath().resolve("a"), b = dir.toAbsolutePath().resolve("b");
        Files.createDirectories(a);
        Files.createDirectories(b);
        Files.writeString(a.resolve("f"), "x");
        Files.writeString(b.resolve("g"), "old");
        DurableFiles.onDirectorySynced = synced::add;
        DurableFiles.move(a.resolve("f"), b.resolve("g"));
        assertThat(b.resolve("g")).hasContent("x");
        assertThat(synced).containsExactly(b, a);
        assertThat(a.resolve("f")).doesNotExist();
    }
}
