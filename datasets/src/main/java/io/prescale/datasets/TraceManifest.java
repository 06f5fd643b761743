package io.prescale.datasets;

import io.prescale.core.config.Yaml;
import io.prescale.datasets.read.TraceFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a shared trace comes from: the facts of its PROVENANCE.md (source repo, path, commit, licence,
 * citation, file sha256s), shipped as a resource so runs can cite and verify the data without the data
 * being part of the project. One manifest per {@link SharedTraces} name.
 */
public record TraceManifest(String name, String format, String folder, String title, String kind,
                            List<ManifestFile> files, Source source, String licence, String citation) {

    /** One file of the trace, relative to {@link #folder()}. */
    public record ManifestFile(String name, String sha256, long rows) {}

    /** The upstream repository, the commit the copy was taken from, and the upstream paths. */
    public record Source(String repo, String commit, List<String> paths, String notes) {}

    /** The shared trace names that have a manifest, in listing order. */
    public static final List<String> NAMES =
            List.of("servegen", "servegen-clients", "alibaba-genai", "azure-llm", "mooncake", "nasa");

    public TraceManifest {
        if (name == null || format == null || folder == null || files == null || files.isEmpty() || source == null
                || licence == null || citation == null)
            throw new IllegalArgumentException("manifest " + name + " lacks a required field");
        files = List.copyOf(files);
    }

    /** The manifest of a shared trace, or empty for a name without one (e.g. {@code synthetic}). */
    public static Optional<TraceManifest> forName(String name) {
        if (!NAMES.contains(name)) return Optional.empty();
        String resource = "manifests/" + name + ".yaml";
        try (InputStream in = TraceManifest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("manifest resource missing: " + resource);
            return Optional.of(Yaml.yaml().readValue(in, TraceManifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException("bad manifest " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The files of this trace inside a data folder, in manifest order. */
    public List<Path> paths(Path dataDir) {
        List<Path> paths = new ArrayList<>();
        for (ManifestFile f : files) paths.add(dataDir.resolve(folder).resolve(f.name()));
        return paths;
    }

    /** The trace format of the files. */
    public TraceFormat traceFormat() {
        return TraceFormat.byId(format);
    }

    /**
     * Compares the files under {@code dataDir} with the manifest: one line per missing file or sha256
     * mismatch; empty when everything matches.
     */
    public List<String> verify(Path dataDir) {
        List<String> problems = new ArrayList<>();
        for (ManifestFile f : files) {
            Path p = dataDir.resolve(folder).resolve(f.name());
            if (!Files.isRegularFile(p)) {
                problems.add(p + ": not found");
                continue;
            }
            String actual = TraceFiles.sha256(List.of(p));
            if (!actual.equals(f.sha256())) problems.add(p + ": sha256 " + actual + " differs from the manifest's " + f.sha256());
        }
        return problems;
    }
}
