package io.prescale.core.config;

import java.nio.file.Path;

/**
 * The project folder: where the {@code ./prescale} launcher lives (it passes it as {@code -Dprescale.home}), else
 * the working folder. Commands find the shared traces beside it and keep their default output and state in it,
 * wherever they are started from.
 */
public final class ProjectHome {
    private ProjectHome() {}

    /** The project folder, absolute and normalised. */
    public static Path root() {
        return Path.of(System.getProperty("prescale.home", ".")).toAbsolutePath().normalize();
    }
}
