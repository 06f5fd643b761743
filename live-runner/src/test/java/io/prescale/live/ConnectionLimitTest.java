package io.prescale.live;

import io.prescale.live.http.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that open connections and send nothing: each holds a file descriptor until its idle timeout (30 s), so a flood
 * of them took every descriptor the process had (then no model, registration or history file opened, /health went
 * unanswered, and Jetty logged a stack trace a second for its failed accepts). Past --max-connections no new connection is
 * accepted until one closes.
 */
class ConnectionLimitTest {
    @TempDir
    Path dir;

    @Test
    void pastTheLimitNoConnectionIsAcceptedUntilOneCloses() throws Exception {
        try (LiveHarness h = new LiveHarness(dir, LiveServer.Settings.loopback(0).withMaxConnections(2))) {
            int port = h.server.port();
            try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
                LiveHarness.await("two idle connections open", Duration.ofSeconds(5), () -> h.server.connectionsOpen() == 2);
                assertThat(h.server.acceptingConnections()).as("accepting at the limit").isFalse();
                try (Socket c = new Socket("127.0.0.1", port)) { // completed by the system, waiting in its backlog
                    c.setSoTimeout(5_000);
                    c.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(h.server.connectionsOpen()).isEqualTo(2);
                    a.close(); // one of the idle ones goes: the waiting one is accepted and answered
                    String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).startsWith("HTTP/1.1 200");
                }
            }
            LiveHarness.await("accepting again", Duration.ofSeconds(5), h.server::acceptingConnections);
        }
    }

    @Test
    void theDefaultLimitIsHalfTheProcesssDescriptorsAtMostTenThousand() {
        // half for connections, half for model files, sessions, the state folder and the JVM
        assertThat(LiveServer.Settings.defaultMaxConnections(1024)).isEqualTo(512);
        assertThat(LiveServer.Settings.defaultMaxConnections(20_000)).isEqualTo(10_000);
        assertThat(LiveServer.Settings.defaultMaxConnections(1_048_576)).isEqualTo(10_000);
        assertThat(LiveServer.Settings.defaultMaxConnections(-1)).as("limit unknown").isEqualTo(10_000);
        assertThat(LiveServer.Settings.loopback(0).maxConnections()).isBetween(1, 10_000);
    }

    @Test
    void serveRefusesALimitBelowOneNamingTheFlag() {
        io.prescale.live.cli.ServeCommand cmd = new io.prescale.live.cli.ServeCommand();
        new picocli.CommandLine(cmd).parseArgs("--port", "0", "--state", dir.resolve("state").toString(), "--max-connections", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(cmd::call).isInstanceOf(io.prescale.core.config.ConfigException.class)
                .hasMessageContaining("--max-connections").hasMessageContaining("must be >= 1");
        assertThat(dir.resolve("state")).as("refused before anything is opened").doesNotExist();
    }
}
