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

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aSecondLauncherWaitsForTheBuildInProgressAndDoesNotBuildAgain(@TempDir Path tmp) throws Exception {
        // two launchers started together each ran Maven over the same target/ folders; now the second waits for the
        // first (here: a process holding the build lock), then finds the build done and does not run Maven at all
        // the launcher locks with flock (util-linux) where there is one; without it, it builds as before
        org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "flock"))), "no flock on the PATH");
        Path root = Files.createDirectories(tmp.resolve("project"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String t : new String[]{"dirname", "find", "flock"}) {
            Path w = Files.writeString(bin.resolve(t), "#!" + onPath("bash") + "\nexec " + onPath(t) + " \"$@\"\n");
            assertThat(w.toFile().setExecutable(true)).isTrue();
        }
        Path ran = root.resolve("mvn-ran");
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!" + onPath("bash") + "\necho ran > " + ran + "\nexit 1\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        Files.copy(LAUNCHER, root.resolve("prescale"));

        Process holder = new ProcessBuilder(onPath("flock").toString(), root.resolve(".prescale-build.lock").toString(), "-c", "echo locked; cat").start();
        var held = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
        assertThat(held.readLine()).isEqualTo("locked");

        ProcessBuilder pb = new ProcessBuilder(onPath("bash").toString(), root.resolve("prescale").toString(), "--help")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        Process launcher = pb.start();
        var err = new java.io.BufferedReader(new java.io.InputStreamReader(launcher.getErrorStream()));
        assertThat(err.readLine()).isEqualTo("prescale: another ./prescale is building this folder: waiting for it ...");

        // the other build finishes: its stamp and class path written, then its lock released
        Path target = Files.createDirectories(root.resolve("app/target"));
        Files.writeString(target.resolve("classpath.txt"), "");
        Files.writeString(target.resolve(".prescale-built"), "");
        holder.getOutputStream().close();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(err.readLine()).isEqualTo("prescale: 'java' is not on the PATH: Prescale needs Java 17 and Maven 3.8 to build and run (README.md)");
        assertThat(launcher.exitValue()).isEqualTo(1);
        assertThat(ran).as("Maven run by the second launcher").doesNotExist();
    }

    @Test
    void runThroughALinkItFindsItsProjectFolder(@TempDir Path tmp) throws Exception {
        // ln -s PROJECT/prescale ~/bin/prescale: the launcher took the link's folder for the project, found no build
        // stamp there and ran Maven in a folder without a pom; now it follows the link (here to a built project whose
        // next step is Java, which is not on the PATH: that message shows the project folder was found)
        Path root = Files.createDirectories(tmp.resolve("project"));
        Path target = Files.createDirectories(root.resolve("app/target"));
        Files.writeString(target.resolve("classpath.txt"), "");
        Files.writeString(target.resolve(".prescale-built"), "");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String t : new String[]{"dirname", "find", "readlink"}) {
            Path w = Files.writeString(bin.resolve(t), "#!" + onPath("bash") + "\nexec " + onPath(t) + " \"$@\"\n");
            assertThat(w.toFile().setExecutable(true)).isTrue();
        }
        Files.copy(LAUNCHER, root.resolve("prescale"));
        Path links = Files.createDirectories(tmp.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("prescale"), Path.of("..", "project", "prescale")); // a relative link
        try {
            ProcessBuilder pb = new ProcessBuilder(onPath("bash").toString(), link.toString(), "--help")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(false);
            pb.environment().clear();
            pb.environment().put("PATH", bin.toString());
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(err).isEqualTo("prescale: 'java' is not on the PATH: Prescale needs Java 17 and Maven 3.8 to build and run (README.md)\n");
            assertThat(links.resolve(".prescale-build.log")).doesNotExist();
        } finally {
            Files.delete(link); // JUnit warns about links when it cleans up
        }
    }
}

