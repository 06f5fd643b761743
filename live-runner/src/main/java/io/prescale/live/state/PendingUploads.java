package io.prescale.live.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Model uploads this runner is storing or removing, one empty file each under {@code state/uploads-pending/}. An upload
 * is saved before its registration is persisted, and a removed model's registration goes before its upload, so a
 * {@code kill -9} in between left an upload that no registration reads, for ever (one more with every such crash). At
 * start the runner removes the uploads still marked here that no registration reads: only its own, as the model store
 * may be another runner's too.
 */
public final class PendingUploads {
    private final Path dir;

    public PendingUploads(Path stateDir) {
        this.dir = stateDir.resolve("uploads-pending");
    }

    public Path dir() {
        return dir;
    }

    /** Marks {@code model}'s upload as being stored or removed (durably, before either starts). */
    public void begin(String model) {
        DurableFiles.write(dir.resolve(model), new byte[0]);
    }

    /** The upload is registered, or removed: nothing to clean up after a crash. */
    public void end(String model) {
        DurableFiles.delete(dir.resolve(model));
    }

    /** Models whose upload a crash may have left half done. */
    public List<String> pending() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
