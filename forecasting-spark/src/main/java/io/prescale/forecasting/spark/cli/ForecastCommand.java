package io.prescale.forecasting.spark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code prescale forecast}: backtest, train and show forecasters. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "Forecast demand: rolling-origin backtests, Spark training of model artifacts, forecast charts.",
        subcommands = {BacktestCommand.class, TrainCommand.class, ShowCommand.class})
public final class ForecastCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Entry point for spark-submit: {@code spark-submit --class io.prescale.forecasting.spark.cli.ForecastCommand ... train ...}. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new ForecastCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
