package io.prescale.live.registry;

import io.prescale.core.config.ConfigException;
import io.prescale.live.state.DurableFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The folder model files are served from. A registration names a file by its path inside it; anything
 * that would leave it (absolute paths, "..", symlinks pointing out) is refused. Uploads land in {@code uploads/}.
 */
public final class ModelStore {
    private final Path root;

    public ModelStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open model store " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The real path of {@code relative} inside the store; a ConfigException on field "file" otherwise. */
    public Path resolve(String relative) {
        Path p;
        try {
            p = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new ConfigException("file", "not a valid path: " + e.getMessage());
        }
        if (p.isAbsolute()) throw new ConfigException("file", "must be a path inside the model store, not an absolute path");
        for (Path part : p) {
            if (part.toString().equals("..")) throw new ConfigException("file", "must not contain '..' (paths stay inside the model store)");
        }
        Path candidate = root.resolve(p).normalize();
        if (!candidate.startsWith(root)) throw new ConfigException("file", "resolves outside the model store");
        if (!Files.isRegularFile(candidate)) throw new ConfigException("file", "no such file in the model store: " + relative);
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root)) throw new ConfigException("file", "is a link that points outside the model store");
            return real;
        } catch (IOException e) {
            throw new ConfigException("file", "cannot read " + relative + ": " + e.getMessage());
        }
    }

    /** Stores an uploaded model durably; returns its path relative to the store. */
    public String saveUpload(String modelName, java.io.InputStream content) {
        String rel = upload(modelName);
        DurableFiles.write(root.resolve(rel), content);
        return rel;
    }

    /** Removes an upload whose registration failed. */
    public void deleteUpload(String modelName) {
        DurableFiles.delete(root.resolve(upload(modelName)));
    }

    private static String upload(String modelName) {
        return "uploads/" + modelName + ".onnx";
    }
}
