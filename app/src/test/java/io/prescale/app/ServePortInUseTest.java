package io.prescale.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's own log set-up (slf4j-simple to stderr) is where a library's stray error line shows: none here. */
class ServePortInUseTest {
    @Test
    void aPortInUseIsOneClearLineWithoutJavalinsErrorAboveIt(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            try {
                rc = PrescaleCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "serve", "--port", String.valueOf(port),
                        "--state", dir.resolve("state").toString(), "--model-store", store.toString());
            } finally {
                System.setErr(stderr);
            }
            assertThat(rc).isEqualTo(2);
            // was "2026-...Z ERROR Javalin - Failed to start Javalin" above the line below
            assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("Javalin").doesNotContain("ERROR");
            assertThat(err.toString().strip()).isEqualTo("prescale serve: --port: cannot listen on 127.0.0.1:" + port
                    + ": another program is listening on it (--port 0 takes any free port)");
        }
        assertThat(dir.resolve("state")).doesNotExist(); // refused before anything was opened
    }
}
