package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A port in use is refused by serve itself, before the server's start (whose failure Javalin logs as an ERROR line). */
class ServePortTest {
    @Test
    void aPortAnotherProgramListensOnIsRefusedBeforeTheServerStarts() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = taken.getLocalPort();
            int p = port;
            assertThatThrownBy(() -> ServeCommand.requirePortFree("127.0.0.1", p)).isInstanceOf(ConfigException.class)
                    .hasMessage("--port: cannot listen on 127.0.0.1:" + p + ": another program is listening on it (--port 0 takes any free port)");
        }
        assertThatCode(() -> ServeCommand.requirePortFree("127.0.0.1", port)).doesNotThrowAnyException(); // let go: free again
        assertThatCode(() -> ServeCommand.requirePortFree("127.0.0.1", 0)).doesNotThrowAnyException();
    }
}
