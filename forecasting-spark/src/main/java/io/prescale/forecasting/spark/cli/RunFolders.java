package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.RunDirs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Run folders {@code runs/<kind>/<utc>-<gitsha>/} under the project root, like the simulator's, made when chosen; a
 * second run in the same second gets {@code <utc>-<gitsha>-2} ({@link RunDirs#claim}), not the first one's folder.
 */
final class RunFolders {
    private RunFolders() {}

    static Path next(String kind) {
        Path root = TraceOptions.projectRoot();
        String sha = System.getProperty("prescale.gitsha");  // the launcher passes it
        return next(root, kind, Instant.now(), sha != null && !sha.isBlank() ? sha : gitSha(root));
    }

    /** A new folder for a {@code kind} run at {@code time} of commit {@code sha}, under {@code root}/runs. */
    static Path next(Path root, String kind, Instant time, String sha) {
        return RunDirs.claim(root.resolve("runs").resolve(kind), RunDirs.name(time, sha));
    }

    static String gitSha(Path root) {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]+")) return out;
        } catch (Exception ignored) {
            // not a git checkout, or no git: the folder name says so
        }
        return "nogit";
    }
}
