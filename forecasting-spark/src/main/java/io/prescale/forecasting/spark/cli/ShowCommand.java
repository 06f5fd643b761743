package io.prescale.forecasting.spark.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.datasets.TraceSource;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.backtest.Backtest;
import io.prescale.forecasting.backtest.BacktestResult;
import io.prescale.forecasting.backtest.ForecasterSpec;
import io.prescale.forecasting.backtest.SeriesData;
import io.prescale.forecasting.spark.BacktestReport;
import io.prescale.forecasting.spark.Charts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code prescale forecast show}: chart of one series, actual vs a forecaster's P50 with the band to P90. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Chart one series: actual vs forecast (P50, band to P90) over the last --days, rolling origin.")
public final class ShowCommand implements Callable<Integer> {
    @Mixin
    TraceOptions traceOptions;

    @Option(names = "--model", required = true, description = "series (model) to show")
    String model;

    @Option(names = "--forecaster", defaultValue = "holt-winters", description = "forecaster id (default: ${DEFAULT-VALUE})")
    String forecaster;

    @Option(names = "--artifact", description = "artifact for gbt / prophet-style")
    String artifact;

    @Option(names = "--horizon", defaultValue = "30m", paramLabel = "DURATION", description = "lead shown: the last interval of the horizon (default: ${DEFAULT-VALUE})")
    String horizon;

    @Option(names = "--days", defaultValue = "3d", paramLabel = "DURATION", description = "span shown at the end of the series (default: ${DEFAULT-VALUE})")
    String days;

    @Option(names = "--out", paramLabel = "FILE", description = "PNG file (default: runs/show/<utc>-<gitsha>/forecast-<model>.png)")
    Path out;

    @Override
    public Integer call() throws Exception {
        var h = Durations.parseOption("--horizon", horizon);
        var span = Durations.parseOption("--days", days);
        if (h.isNegative() || h.isZero()) throw new ConfigException("--horizon", "must be > 0");
        if (span.isNegative() || span.isZero()) throw new ConfigException("--days", "must be > 0");
        // named by their flags, before the trace is read: these were "forecaster: unknown forecaster 'x'" and, for
        // --forecaster holt-winters --artifact F, an in-sample warning followed by "forecasters.holt-winters.artifact: unknown parameter"
        if (!io.prescale.forecasting.ForecasterCatalog.ids().contains(forecaster))
            throw new ConfigException("--forecaster", "unknown forecaster '" + forecaster + "'"
                    + io.prescale.core.config.DidYouMean.suffix(forecaster, io.prescale.forecasting.ForecasterCatalog.ids())
                    + " (known: " + String.join(", ", io.prescale.forecasting.ForecasterCatalog.ids()) + ")");
        if (artifact != null && !List.of("gbt", "prophet-style", "ensemble").contains(forecaster))
            throw new ConfigException("--artifact", forecaster + " takes no artifact (gbt and prophet-style do, and ensemble its gbt member's)");
        TraceSource src = traceOptions.source();
        // an artifact's own interval without --interval, as backtest reads it: one trained by forecast train (10m) on a
        // 5-minute trace fits
        List<SeriesData> all = traceOptions.load(src, artifact == null ? null
                : TraceOptions.artifactInterval("--artifact", forecaster.equals("ensemble") ? "gbt" : forecaster, Path.of(artifact))).series();
        SeriesData s = all.stream().filter(x -> x.name().equals(model)).findFirst().orElseThrow(() -> {
            List<String> names = all.stream().map(SeriesData::name).toList();
            return new IllegalArgumentException("--model " + model + ": not in " + src.id()
                    + io.prescale.core.config.DidYouMean.suffix(model, names) + " (series: " + String.join(", ", names) + ")");
        });
        TraceOptions.requireMultiple(h, s.interval(), "--horizon");
        TraceOptions.requireMultiple(span, s.interval(), "--days", days); // 1d5m showed the last 1d10m
        Map<String, Object> params = new LinkedHashMap<>();
        if (artifact != null) {
            params.put(forecaster.equals("ensemble") ? "gbtArtifact" : "artifact", artifact);
            InSampleScores.warning(Path.of(artifact), List.of(s), span).ifPresent(System.err::println);
        }
        var cfg = Backtest.Config.defaults(h);
        cfg = new Backtest.Config(h, span, cfg.season(), cfg.coverageTolerance(), 1);
        // the chart's folder before the rolling forecasts: an --out under a file failed only after them
        Path file = out != null ? out : RunFolders.next("show").resolve(ChartFiles.forecast(model));
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.isDirectory(file)) throw new ConfigException("--out", file + " is a folder; give the PNG file to write");
        BacktestResult r = Backtest.run(List.of(s), List.of(new ForecasterSpec(forecaster, params)), cfg, Backtest.Progress.NONE);
        System.out.print(BacktestReport.table(r));
        if (r.series().isEmpty()) {
            System.err.println("forecast show: the series could not be scored (see above): try a shorter --horizon or a longer --days");
            return 1;
        }
        int steps = new TimeGrid(s.interval()).steps(h);
        Charts.forecastBand(file, src.id() + " " + model + ": actual vs " + forecaster + " at lead " + Durations.format(s.interval().multipliedBy(steps)),
                r.rows(), steps);
        System.out.println("chart: " + file);
        return 0;
    }

}
