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
                "  prescale live-history --state .prescale/live --out live.csv && prescale forecast train --trace counts-csv:live.csv"},
        footer = {"", "Examples:",
                "  prescale live-history --state state --out live.csv",
                "  prescale forecast train --trace counts-csv:live.csv   retrain on live demand"})
public final class LiveHistoryCommand implements Callable<Integer> {
    @Option(names = "--state", paramLabel = "DIR", description = "serve's state folder (default: " + ProjectDefaults.STATE + " " + ProjectDefaults.WHERE + ")")
    Path state;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "counts-csv file to write")
    Path out;

    @Option(names = "--merge-lineages", description = "count the rows another model file served under a name as the name's "
            + "(a new file of the same endpoint, whose demand goes on); without it they are a series of their own, NAME@DIGEST")
    boolean mergeLineages;

    @Override
    public Integer call() throws Exception {
        if (state == null) state = ProjectDefaults.state();
        if (!java.nio.file.Files.isDirectory(state.resolve("history")))
            throw new ConfigException("--state", "no demand history under " + state.resolve("history")
                    + " (serve writes one row per model per completed minute there)");
        HistoryExport.Result r = HistoryExport.export(state.resolve("history"), out, mergeLineages);
        System.out.println("wrote " + out + ": " + Plural.count(r.rows(), "model-minute", "model-minutes") + " (trace spec counts-csv:" + out + ")");
        // a run without --from scores an interval trace from its first record (its offsets count from that day's midnight)
        System.out.println("to simulate it from its first minute, " + r.first() + ": prescale simulate --trace counts-csv:" + out);
        java.util.List<String> earlier = r.series().stream().filter(s -> s.contains("@")).toList();
        if (!earlier.isEmpty())
            System.out.println("demand of earlier model files under a name, as series of their own: " + String.join(", ", earlier)
                    + " (--merge-lineages counts it as the name's)");
        return 0;
    }
}
