package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token serve asks of changes: an empty one (PRESCALE_TOKEN= in a script) was taken, and no client could send it ("Bearer "
 * arrives trimmed to "Bearer"): every change was 401 on a runner that had started as if all were well.
 */
class ServeTokenTest {
    @Test
    void anEmptyTokenIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> ServeCommand.token(null, "")).isInstanceOf(ConfigException.class)
                .hasMessage("PRESCALE_TOKEN: is empty: give a token, or unset PRESCALE_TOKEN to run without one");
        assertThatThrownBy(() -> ServeCommand.token("", "ignored")).isInstanceOf(ConfigException.class)
                .hasMessage("--token: is empty: give a token, or leave --token out to run without one");
    }

    @Test
    void aTokenNoHeaderCanCarryIsRefused() {
        assertThatThrownBy(() -> ServeCommand.token(" secret", null)).hasMessageStartingWith("--token: holds a space at 1:");
        assertThatThrownBy(() -> ServeCommand.token("sec\tret", null)).hasMessageStartingWith("--token: holds a control character at 4:");
        assertThatThrownBy(() -> ServeCommand.token(null, "pässword")).hasMessageStartingWith("PRESCALE_TOKEN: holds a non-ASCII character at 2:");
    }

    @Test
    void aTokenIsTakenFromTheFlagFirstThenTheEnvironment() {
        assertThat(ServeCommand.token("a-B_c.9~+/=", "other")).contains("a-B_c.9~+/=");
        assertThat(ServeCommand.token(null, "from-env")).contains("from-env");
        assertThat(ServeCommand.token(null, null)).isEqualTo(Optional.empty());
    }
}
