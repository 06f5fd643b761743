package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.text.Plural;
import io.prescale.live.state.HistoryExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code prescale live-history}: the live runner's demand history as a counts-csv trace, to retrain forecasters from live demand. */
@Command(name = "live-history", mixinStandardHelpOptions = true,
        description = {"Export the live runner's per-minute demand history as a counts-csv trace.",
                "  prescale live-history --state .prescale/live --out live.csv && prescale forecast train --trace counts-csv:live.csv"})
public final class LiveHistoryCommand implements Callable<Integer> {
    @Option(names = "--state", paramLabel = "DIR", description = "serve's state folder (default: " + ProjectDefaults.STATE + " " + ProjectDefaults.WHERE + ")")
    Path state;

    @Option(names = "--out", required = true, description = "counts-csv file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (state == null) state = ProjectDefaults.state();
        if (!java.nio.file.Files.isDirectory(state.resolve("history")))
            throw new ConfigException("--state", "no demand history under " + state.resolve("history")
                    + " (serve writes one row per model per minute there)");
        long rows = HistoryExport.toCountsCsv(state.resolve("history"), out);
        System.out.println("wrote " + out + ": " + Plural.count(rows, "model-minute", "model-minutes") + " (trace spec counts-csv:" + out + ")");
        return 0;
    }
}
