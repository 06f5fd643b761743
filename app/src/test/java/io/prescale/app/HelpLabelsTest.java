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
}
