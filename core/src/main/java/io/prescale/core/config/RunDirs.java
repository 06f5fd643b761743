package io.prescale.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Default run folders, {@code runs/<kind>/<utc>-<gitsha>/}, one per run. Two runs started in the same second (a script
 * starting two, or one after another) were given one folder and wrote into each other's files without a word: a folder
 * that exists already is never reused, the next free of {@code <name>-2}, {@code <name>-3}, ... is taken instead.
 */
public final class RunDirs {
    private RunDirs() {}

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** {@code <utc>-<sha>}: the time in whole seconds, UTC ({@code 20250101T120000Z-abc1234}). */
    public static String name(Instant time, String sha) {
        return UTC.format(time) + "-" + sha;
    }

    /**
     * Creates and returns a new folder {@code parent/name}, or {@code parent/name-N} with the least N >= 2 that is free
     * when that one exists (made by another run, even one in another process at the same moment: each name is
     * claimed by creating it, which only one process can do).
     */
    public static Path claim(Path parent, String name) {
        try {
            Files.createDirectories(parent);
            for (int n = 1; ; n++) {
                Path dir = parent.resolve(n == 1 ? name : name + "-" + n);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // another run's (or a file): try the next
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + parent + ": " + e.getMessage(), e);
        }
    }
}
