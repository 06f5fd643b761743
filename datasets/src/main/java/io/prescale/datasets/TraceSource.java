package io.prescale.datasets;

import io.prescale.core.trace.TraceReader;
import io.prescale.datasets.read.TraceFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A resolved trace: an id for reports ({@code servegen}, {@code alibaba-genai:path/to/file.csv}), its
 * format and its files. Several files are read as one stream merged by time.
 */
public record TraceSource(String id, TraceFormat format, List<Path> files, String description) {

    public TraceSource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(format, "format");
        files = List.copyOf(files);
        if (files.isEmpty()) throw new IllegalArgumentException("trace source " + id + " has no files");
        description = description == null ? "" : description;
    }

    /** A lazy reader over all files, merged in time order when there are several. */
    public TraceReader open(ReadOptions options) {
        if (files.size() == 1) return format.open(files.get(0), options);
        List<TraceReader> parts = new ArrayList<>();
        try {
            for (Path f : files) parts.add(format.open(f, options));
        } catch (RuntimeException e) {
            for (TraceReader r : parts) r.close();
            throw e;
        }
        return new MergedTraceReader(parts);
    }

    /**
     * SHA-256 over the files' bytes, in order, for run manifests. For one file it equals the file's
     * own sha256 (the figure in PROVENANCE.md and in {@link TraceManifest}).
     */
    public String sha256() {
        return TraceFiles.sha256(files);
    }

    /** Total size of the files in bytes. */
    public long sizeBytes() {
        long sum = 0;
        for (Path f : files) sum += TraceFiles.size(f);
        return sum;
    }

    /** The shipped manifest (source, licence, citation) when this is a shared trace. */
    public Optional<TraceManifest> manifest() {
        return TraceManifest.forName(id);
    }
}
