package io.prescale.live.cli;

import java.nio.file.Path;

/**
 * Where serve, profile and live-history look when no folder is named: in the project the {@code ./prescale} launcher
 * belongs to ({@code -Dprescale.home}), wherever it is run from; without the launcher, in the working folder. The model
 * store is then the one {@code live-runner/scripts/fetch-models.sh} fills, and every runner started without
 * {@code --state} shares one state folder (its lock refuses a second). A folder named on the command line is taken
 * relative to the working folder, as any path typed in a shell.
 */
final class ProjectDefaults {
    static final String STATE = ".prescale/live";
    static final String MODEL_STORE = "model-store";
    /** How the options' help names the defaults. */
    static final String WHERE = "in the ./prescale launcher's project folder, else the working folder";

    private ProjectDefaults() {}

    static Path state() {
        return resolve(STATE);
    }

    static Path modelStore() {
        return resolve(MODEL_STORE);
    }

    private static Path resolve(String relative) {
        return io.prescale.core.config.ProjectHome.root().resolve(relative);
    }
}
