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

/** A durable write into folders it creates syncs each new folder's entry in its parent, not only the file's in its folder. */
class DurableDirectoriesTest {
    @TempDir
    Path dir;

    final List<Path> synced = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void unhook() {
        DurableFiles.onDirectorySynced = d -> {};
    }

    @Test
    void aWriteIntoNewFoldersSyncsEachNewFoldersParent() throws Exception {
        Path root = dir.toAbsolutePath();
        DurableFiles.onDirectorySynced = synced::add;
        DurableFiles.write(root.resolve("state/models/m.json"), new byte[]{'{', '}'});
        // state/ in the root, models/ in state/, m.json in models/: the first two were never synced
        assertThat(synced).contains(root, root.resolve("state"), root.resolve("state/models"));
    }

    @Test
    void anAppendIntoANewDaysFolderSyncsItsEntry() throws Exception {
        Path root = dir.toAbsolutePath();
        Files.createDirectories(root.resolve("history/model=m"));
        DurableFiles.onDirectorySynced = synced::add;
        DurableFiles.append(root.resolve("history/model=m/date=2026-03-02/part.csv"), "a\n".getBytes());
        assertThat(synced).contains(root.resolve("history/model=m"), root.resolve("history/model=m/date=2026-03-02"));
    }
}
