package io.prescale.datasets;

import io.prescale.core.config.DidYouMean;
import io.prescale.datasets.read.TraceFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a {@code --trace} spec: a shared name ({@code servegen}, {@code azure-llm}, ... and
 * {@code synthetic}, which needs no data) or {@code FORMAT:PATH} for any file. Shared traces live in
 * the data folder found by {@link #findDataDir}; their files come from the shipped manifests.
 */
public final class SharedTraces {
    /** The seeded synthetic trace ({@link SyntheticTraceGenerator#defaults}); needs no data folder. */
    public static final String SYNTHETIC = "synthetic";
    public static final long SYNTHETIC_SEED = 42;
    /** The environment variable naming the data folder. */
    public static final String DATA_ENV = "PRESCALE_DATA";

    private static Path syntheticFile;

    private SharedTraces() {}

    /** Every resolvable name: the shared traces, then {@code synthetic}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(TraceManifest.NAMES);
        names.add(SYNTHETIC);
        return names;
    }

    /**
     * The data folder: the {@code --data} flag, else {@code $PRESCALE_DATA}, else
     * {@code <projectRoot>/../shared/datasets} when it exists, else empty. A flag or variable naming a
     * folder that does not exist is an error (the user asked for it), not a silent fallback.
     */
    public static Optional<Path> findDataDir(Optional<Path> flag, Path projectRoot) {
        return findDataDir(flag, projectRoot, System.getenv());
    }

    /** {@link #findDataDir(Optional, Path)} with the environment given, for tests. */
    public static Optional<Path> findDataDir(Optional<Path> flag, Path projectRoot, Map<String, String> env) {
        if (flag.isPresent()) return Optional.of(requireFolder(flag.get(), "--data"));
        String fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return Optional.of(requireFolder(Path.of(fromEnv), DATA_ENV));
        Path beside = projectRoot.resolve("..").resolve("shared").resolve("datasets").normalize();
        return Files.isDirectory(beside) ? Optional.of(beside) : Optional.empty();
    }

    private static Path requireFolder(Path dir, String from) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(from + " " + dir + ": data folder not found");
        return dir.normalize();
    }

    /**
     * Resolves {@code spec}: {@code NAME} (a shared trace under {@code dataDir}, or {@code synthetic})
     * or {@code FORMAT:PATH}. {@code dataDir} may be null when no data folder was found; only shared
     * names need it.
     */
    public static TraceSource resolve(String spec, Path dataDir) {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty()) throw new IllegalArgumentException("empty trace spec (" + usage() + ")");
        int colon = s.indexOf(':');
        if (colon >= 0) return resolveFile(s.substring(0, colon), s.substring(colon + 1), s);
        if (s.equals(SYNTHETIC)) return synthetic();
        Optional<TraceManifest> manifest = TraceManifest.forName(s);
        if (manifest.isEmpty() && looksLikeAFile(s))
            // "--trace my.csv": a file without its format, which the reader cannot guess
            throw new IllegalArgumentException("unknown trace '" + s + "': a file is given as FORMAT:PATH, e.g. requests-csv:" + s
                    + " (a row per request) or counts-csv:" + s + " (a row per interval); FORMAT one of " + TraceFormat.ids());
        if (manifest.isEmpty()) throw new IllegalArgumentException("unknown trace '" + s + "'" + DidYouMean.suffix(s, names()) + " (" + usage() + ")");
        if (dataDir == null)
            throw new IllegalArgumentException("trace '" + s + "' needs the shared data folder, which was not found: pass --data DIR or set "
                    + DATA_ENV + " (or use --trace " + SYNTHETIC + ")");
        TraceManifest m = manifest.get();
        List<Path> files = m.paths(dataDir);
        for (Path f : files) TraceFiles.requireReadableFile(f);
        return new TraceSource(m.name(), m.traceFormat(), files, m.title());
    }

    /** {@code resolve} with an optional data folder, as {@link #findDataDir} returns it. */
    public static TraceSource resolve(String spec, Optional<Path> dataDir) {
        return resolve(spec, dataDir.orElse(null));
    }

    private static TraceSource resolveFile(String formatId, String path, String spec) {
        TraceFormat format = TraceFormat.byId(formatId);
        if (path.isBlank()) throw new IllegalArgumentException("trace '" + spec + "' names no file (want FORMAT:PATH)");
        Path file = Path.of(path);
        // the shell expands ~ at the start of a word only, not after "requests-csv:": say so rather than "~/x.csv: not found"
        if (path.startsWith("~") && !Files.exists(file))
            throw new IllegalArgumentException(file + ": trace file not found (the shell leaves ~ after '" + formatId
                    + ":' as it is: write " + formatId + ":$HOME" + path.substring(1) + " or the full path)");
        TraceFiles.requireReadableFile(file);
        return new TraceSource(spec, format, List.of(file), format.description());
    }

    /**
     * The synthetic trace as a {@code counts-csv} file written once per JVM into the temp folder
     * (deleted at exit), so it has a sha256 and reads like any other file.
     */
    public static synchronized TraceSource synthetic() {
        if (syntheticFile == null || !Files.isRegularFile(syntheticFile)) {
            try {
                Path f = Files.createTempFile("prescale-synthetic-seed" + SYNTHETIC_SEED + "-", ".csv");
                f.toFile().deleteOnExit();
                new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(SYNTHETIC_SEED)).writeCountsCsv(f);
                syntheticFile = f;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the synthetic trace: " + e.getMessage(), e);
            }
        }
        return new TraceSource(SYNTHETIC, TraceFormat.COUNTS_CSV, List.of(syntheticFile),
                "seeded synthetic trace (seed " + SYNTHETIC_SEED + "): 4 models, 14 days, 5-min counts, daily + weekly cycles, bursts");
    }

    /** A path rather than a name: it has a folder or a file extension, or a file of that name exists. */
    private static boolean looksLikeAFile(String s) {
        return s.contains("/") || s.contains(java.io.File.separator) || s.matches(".*\\.[A-Za-z0-9]{1,5}") || exists(s);
    }

    private static boolean exists(String s) {
        try {
            return Files.exists(Path.of(s));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static String usage() {
        return "shared names: " + String.join(", ", names()) + "; or FORMAT:PATH with FORMAT one of " + TraceFormat.ids();
    }
}
