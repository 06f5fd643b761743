package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayTargetTest {
    @Test
    void aTargetWithoutItsSchemeIsNamedAsTheFlag() {
        // was "URI with undefined scheme", from the HTTP client, after the trace was read
        assertThatThrownBy(() -> ReplayCommand.checkTarget(URI.create("localhost:18999"))).isInstanceOf(ConfigException.class)
                .hasMessage("--target: 'localhost:18999' is not a runner's URL such as http://127.0.0.1:8080");
        assertThatThrownBy(() -> ReplayCommand.checkTarget(URI.create("127.0.0.1"))).isInstanceOf(ConfigException.class);
        assertThatCode(() -> ReplayCommand.checkTarget(URI.create("http://127.0.0.1:8080"))).doesNotThrowAnyException();
    }
}
