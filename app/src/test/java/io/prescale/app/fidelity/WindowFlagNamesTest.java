package io.prescale.app.fidelity;

import io.prescale.live.cli.ReplayCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** fidelity and replay take the replayed span under either name (fidelity said --window, replay --duration). */
class WindowFlagNamesTest {
    @Test
    void fidelityTakesDurationAndReplayTakesWindow() {
        FidelityCommand f = new FidelityCommand();
        new CommandLine(f).parseArgs("--trace", "azure-llm", "--duration", "5m");
        assertThat(f.window).isEqualTo("5m");
        CommandLine replay = new CommandLine(new ReplayCommand());
        CommandLine.ParseResult r = replay.parseArgs("--trace", "azure-llm", "--window", "5m");
        assertThat((String) r.matchedOptionValue("--duration", null)).isEqualTo("5m");
    }
}
