package io.prescale.forecasting.spark.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/** Run folders {@code runs/<kind>/<utc>-<gitsha>/} under the project root, like the simulator's. */
final class RunFolders {
    private RunFolders() {}

    static Path next(String kind) {
        Path root = TraceOptions.projectRoot();
        String utc = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        String sha = System.getProperty("prescale.gitsha");  // the launcher passes it
        return root.resolve("runs").resolve(kind).resolve(utc + "-" + (sha != null && !sha.isBlank() ? sha : gitSha(root)));
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
