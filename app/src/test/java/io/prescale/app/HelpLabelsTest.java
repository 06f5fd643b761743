package io.prescale.app;

import io.prescale.app.fidelity.FidelityCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** app's own commands name every option's value in their help (N, MODE, DURATION), not by a Java field (<maxBatch>). */
class HelpLabelsTest {
    @Test
    void fidelityAndNotebookHelpShowNoFieldNames() {
        for (Object command : new Object[]{new FidelityCommand(), new NotebookCommand()}) {
            String usage = new CommandLine(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(command.getClass().getSimpleName()).doesNotContainPattern("=<[A-Za-z]+>");
        }
        assertThat(new CommandLine(new FidelityCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("--max-batch=N", "--overhead=MODE", "--input=NAME=D1,D2[@VALUE]");
    }

    @Test
    void theForecastCommandsShowNoFieldNames() {
        // --master=<master>, --threads=<threads>, --trees=<trees>
        for (Object command : new Object[]{new io.prescale.forecasting.spark.cli.BacktestCommand(), new io.prescale.forecasting.spark.cli.TrainCommand()})
            assertThat(new CommandLine(command).getUsageMessage(CommandLine.Help.Ansi.OFF)).as(command.getClass().getSimpleName())
                    .doesNotContainPattern("=<[A-Za-z]+>").contains("--master=URL");
    }

    @Test
    void theLiveRunnersCommandsShowAnExampleAndNoFieldNames() {
        // serve showed --port=<port>, --token=<token>, --max-body=<maxBody>; replay --rate-scale=<rateScale>; none had an example
        Object[] commands = {new io.prescale.live.cli.ServeCommand(), new io.prescale.live.cli.ReplayCommand(),
                new io.prescale.live.cli.ProfileCommand(), new io.prescale.live.cli.LiveHistoryCommand()};
        for (Object command : commands) {
            CommandLine cl = new CommandLine(command);
            String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = command.getClass().getSimpleName();
            assertThat(usage).as(name).doesNotContainPattern("=<[A-Za-z]+>").containsPattern("\\nExamples:");
            // every example line is whole in the 80-column help, so it can be copied as shown
            for (String line : String.join("\n", cl.getCommandSpec().usageMessage().footer()).split("\n"))
                if (line.startsWith("  prescale ")) assertThat(usage).as(line).contains(line + System.lineSeparator());
        }
        assertThat(new CommandLine(new io.prescale.live.cli.ServeCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("--port=N", "--token=TOKEN", "--max-body=BYTES", "--policy=FILE");
    }

    @Test
    void theTopLevelHelpSaysWhereToStart() {
        // it listed the commands and nothing to type; each example a whole line of the 80-column help
        String usage = new CommandLine(new PrescaleCli()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).contains("Start here").contains(System.lineSeparator() + "  prescale simulate --trace azure-llm  Azure LLM trace, 1 h, all policies" + System.lineSeparator());
    }

    @Test
    void theCommandsANewUserMeetsFirstShowAnExampleAndNoFieldNames() {
        // simulate --help showed --seed=<seed>, --workers=<workers>, --model-threads=<modelThreads>, and no example at all
        for (Object command : new Object[]{new io.prescale.simulator.cli.SimulateCommand(), new io.prescale.simulator.cli.SweepCommand(),
                new io.prescale.simulator.cli.PoliciesCommand(), new io.prescale.datasets.cli.TracesCommand()}) {
            String usage = new CommandLine(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = command.getClass().getSimpleName();
            assertThat(usage).as(name).doesNotContainPattern("=<[A-Za-z]+>");
            assertThat(usage).as(name).containsPattern("\\nExamples?\\b");
        }
        assertThat(new CommandLine(new io.prescale.simulator.cli.SimulateCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("--seed=N", "--workers=N", "Exit codes:");
        // and the examples run as shown: every line that starts one is whole, not wrapped at the help's 80 columns
        for (Object command : new Object[]{new io.prescale.simulator.cli.SimulateCommand(), new io.prescale.simulator.cli.SweepCommand(),
                new io.prescale.simulator.cli.PoliciesCommand(), new io.prescale.datasets.cli.TracesCommand()}) {
            String usage = new CommandLine(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
            String footer = String.join("\n", new CommandLine(command).getCommandSpec().usageMessage().footer());
            for (String line : footer.split("\n"))
                if (line.startsWith("  prescale ") || line.startsWith("      -")) assertThat(usage).as(line).contains(line + System.lineSeparator());
        }
    }
}

