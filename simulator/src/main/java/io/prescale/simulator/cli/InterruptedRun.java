package io.prescale.simulator.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What Ctrl-C leaves of a run: the folder is made before the run (so a bad --out fails at once), and an interrupted
 * run left it empty under runs/, with the progress line unfinished on the terminal. Armed for the run only.
 */
final class InterruptedRun implements AutoCloseable {
    final Thread hook; // package-private: a test checks it is registered while armed, and only then

    private InterruptedRun(String command, Path dir, boolean created, PrintStream err) {
        hook = new Thread(() -> {
            err.println();
            err.println(command + ": interrupted; " + tidy(dir, created));
            err.flush();
        }, "interrupted-run");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Arms the note for a run writing into {@code dir}; {@code created}: the run made the folder (it may remove it). */
    static InterruptedRun arm(String command, Path dir, boolean created, PrintStream err) {
        return new InterruptedRun(command, dir, created, err);
    }

    /** Removes the folder when the run made it and wrote nothing into it yet; says what is left. */
    static String tidy(Path dir, boolean created) {
        try (Stream<Path> files = Files.list(dir)) {
            if (files.findAny().isPresent()) return "the files written so far are in " + dir;
            if (!created) return "nothing written to " + dir;
            Files.delete(dir);
            return "no results (the empty run folder " + dir + " is removed)";
        } catch (IOException e) {
            return "no results in " + dir;
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook runs
        }
    }
}
