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
    void aTopLevelCommandKeepsItsName() {
        assertThat(errorOf("simulate", "--trace", "synthetic", "--from", "2"))
                .isEqualTo("prescale simulate: --from: '2' has no unit: write 2s, 2m, 2h or 2d");
    }
}
