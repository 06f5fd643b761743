package io.prescale.app;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The error line names the command as the user typed it, nested commands included. */
class CommandErrorLineTest {
    static String errorOf(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = PrescaleCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(rc).as(String.join(" ", args)).isEqualTo(2);
        return err.toString().trim();
    }

    @Test
    void aNestedCommandIsNamedWithItsParent() {
        assertThat(errorOf("forecast", "backtest", "--trace", "synthetic", "--horizon", "30"))
                .isEqualTo("prescale forecast backtest: --horizon: '30' has no unit: write 30s, 30m, 30h or 30d");
        assertThat(errorOf("forecast", "show", "--trace", "synthetic", "--model", "a", "--days", "3"))
                .startsWith("prescale forecast show: --days:");
    }

    @Test
    void aMistypedCommandLineGetsItsErrorAndAPointerNotTheWholeUsage() {
        // a value of the wrong type: picocli's message under the command's name, then where the options are
        assertThat(errorOf("simulate", "--rate-scale", "abc")).isEqualTo("""
                prescale simulate: Invalid value for option '--rate-scale': 'abc' is not a double
                Try 'prescale simulate --help' for the options.""");
        // a missing required option, in a nested command
        assertThat(errorOf("forecast", "backtest", "--horizon", "30m")).isEqualTo("""
                prescale forecast backtest: Missing required option: '--trace=TRACE'
                Try 'prescale forecast backtest --help' for the options.""");
        // a misspelt subcommand and a misspelt option keep picocli's suggestion
        assertThat(errorOf("simulat")).startsWith("prescale: Unmatched argument at index 0: 'simulat'")
                .contains("Did you mean: prescale simulate").endsWith("Try 'prescale --help' for its commands.");
        assertThat(errorOf("simulate", "--polices", "oracle")).startsWith("prescale simulate: Unknown options: '--polices'")
                .contains("Possible solutions: --policies");
        for (String[] args : new String[][]{{"simulate", "--rate-scale", "abc"}, {"sweep"}, {"simulate", "extra-arg"}})
            assertThat(errorOf(args)).as(String.join(" ", args)).doesNotContain("Usage:").hasLineCount(2);
    }

    @Test
    void fidelityNamesAMisspeltPolicyAsSimulateDoes() {
        // before: "unknown policy 'reactive.hp' (known: [static.peak, ...])", a list's toString and no suggestion
        assertThat(errorOf("fidelity", "--trace", "synthetic", "--policy", "reactive.hp"))
                .startsWith("prescale fidelity: --policy: unknown policy 'reactive.hp', did you mean reactive.hpa? (known: static.peak, reactive.hpa, ")
                .doesNotContain("[");
    }

    @Test
    void aMisspeltTraceNameGetsTheClosestOneInEveryCommandThatReadsATrace() {
        // resolved in one place: simulate, traces, replay, fidelity and forecast all say it
        for (String[] args : new String[][]{{"simulate", "--trace", "servgen"}, {"forecast", "backtest", "--trace", "servgen"},
                {"fidelity", "--trace", "servgen"}})
            assertThat(errorOf(args)).as(String.join(" ", args)).contains(": unknown trace 'servgen', did you mean servegen? (shared names: ");
    }

    @Test
    void liveHistoryOnAFreshStateFolderSaysWhenRowsAppearWithoutAnExceptionName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path history = java.nio.file.Files.createDirectories(dir.resolve("state/history")); // as serve leaves it at once
        // was "prescale live-history: IOException: the demand history under ... is empty (set PRESCALE_DEBUG=1 for the stack trace)"
        assertThat(errorOf("live-history", "--state", dir.resolve("state").toString(), "--out", dir.resolve("x.csv").toString()))
                .isEqualTo("prescale live-history: " + history + ": no demand recorded yet: serve writes one row per model per completed minute, "
                        + "so there is none until a model has been registered through a whole minute");
    }

    @Test
    void aTopLevelCommandKeepsItsName() {
        assertThat(errorOf("simulate", "--trace", "synthetic", "--from", "2"))
                .isEqualTo("prescale simulate: --from: '2' has no unit: write 2s, 2m, 2h or 2d");
    }
}
