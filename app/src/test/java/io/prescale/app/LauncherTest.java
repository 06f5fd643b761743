package io.prescale.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ./prescale launcher on a machine without Maven or Java says which is missing and what the project needs, instead of
 * "line 18: mvn: command not found" above a build log, or "exec: java: not found". Runs a copy of the launcher in an
 * empty project folder with a PATH that holds only the tools the launcher needs before it builds or starts Java.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "prescale"); // tests run in app/

    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        throw new IllegalStateException(tool + " not on the PATH");
    }

    /** Runs the launcher copied into {@code root} with only {@code tools} on the PATH; returns exit code and stderr. */
    static Map.Entry<Integer, String> run(Path root, Path bin, String... tools) throws IOException, InterruptedException {
        Files.createDirectories(bin);
        for (String t : tools) { // a wrapper, not a symbolic link, which JUnit warns about when it cleans up
            Path w = Files.writeString(bin.resolve(t), "#!" + onPath("bash") + "\nexec " + onPath(t) + " \"$@\"\n");
            assertThat(w.toFile().setExecutable(true)).isTrue();
        }
        Files.copy(LAUNCHER, root.resolve("prescale"));
        Path err = root.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(onPath("bash").toString(), root.resolve("prescale").toString(), "--help")
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Map.entry(p.exitValue(), Files.readString(err));
    }

    @Test
    void withoutMavenItSaysSoBeforeBuilding(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("project"));
        var r = run(root, tmp.resolve("bin"), "dirname"); // no app/target/.prescale-built: it would build
        assertThat(r.getKey()).isEqualTo(1);
        assertThat(r.getValue()).isEqualTo("prescale: 'mvn' is not on the PATH: Prescale needs Java 17 and Maven 3.8 to build and run (README.md)\n");
        assertThat(root.resolve(".prescale-build.log")).doesNotExist();
    }

    @Test
    void withoutJavaItSaysSoInsteadOfExecFailing(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("project"));
        Path target = Files.createDirectories(root.resolve("app/target"));
        Files.writeString(target.resolve("classpath.txt"), "");
        Files.writeString(target.resolve(".prescale-built"), ""); // built, and no source newer: no build, straight to java
        var r = run(root, tmp.resolve("bin"), "dirname", "find");
        assertThat(r.getKey()).isEqualTo(1);
        assertThat(r.getValue()).isEqualTo("prescale: 'java' is not on the PATH: Prescale needs Java 17 and Maven 3.8 to build and run (README.md)\n");
    }
}
