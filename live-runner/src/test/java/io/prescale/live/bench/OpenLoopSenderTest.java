package io.prescale.live.bench;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay's load generator against a port that answers, but not HTTP. */
class OpenLoopSenderTest {

    @Test
    void anAnswerThatIsNotHttpIsAFailedRequestAndTheWorkersLiveOn() throws Exception {
        // a status line shorter than "HTTP/1.1 200" threw StringIndexOutOfBoundsException out of the worker thread, which
        // died with a stack trace: its requests were never answered, and with every worker gone a replay waited 5 s an
        // arrival for room on the queue, then hung in close()
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        OutputStream out = s.getOutputStream();
                        out.write("HELLO\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "not-http");
            acceptor.setDaemon(true);
            acceptor.start();
            List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
            OpenLoopSender sender = new OpenLoopSender(URI.create("http://127.0.0.1:" + server.getLocalPort()), "/predict", 1, 4, "t", true,
                    (key, status, micros, serverMicros) -> codes.add(status));
            for (int i = 0; i < 10; i++) sender.sendAt("m", 0, new byte[]{'{', '}'});
            sender.close();
            assertThat(codes).hasSize(10).containsOnly(-1);
            assertThat(sender.firstErrors().get("m")).isEqualTo("no answer: not an HTTP/1.1 answer: HELLO");
        }
    }

    @Test
    void aUrlWithoutAPortIsOnHttpsPort80() {
        // the port was -1, and the socket's "port out of range:-1" (an IllegalArgumentException) killed the worker
        assertThat(KeepAliveClient.port(URI.create("http://runner/"))).isEqualTo(80);
        assertThat(KeepAliveClient.port(URI.create("http://runner:8080"))).isEqualTo(8080);
    }
}
