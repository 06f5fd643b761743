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

    @Test
    void aRequestTheServerTookButNeverAnsweredIsNotSentAgain() throws Exception {
        // after the read timeout the POST was sent again on a new connection: run twice by the server, and a hung
        // server waited for twice as long (2 x 120 s a request)
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch probed = new java.util.concurrent.CountDownLatch(1);
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        Socket s = server.accept(); // in the order they connected: the probe comes after any resend
                        held.add(s);
                        byte[] b = new byte[4096];
                        int n = s.getInputStream().read(b);
                        if (n > 0 && new String(b, 0, n, StandardCharsets.ISO_8859_1).startsWith("PROBE")) probed.countDown();
                        else if (n > 0) requests.incrementAndGet(); // answered never
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "silent");
            acceptor.setDaemon(true);
            acceptor.start();
            try (KeepAliveClient c = new KeepAliveClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), 200)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.post("/predict", new byte[]{'{', '}'}))
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                probe.getOutputStream().write("PROBE".getBytes(StandardCharsets.ISO_8859_1));
                probe.getOutputStream().flush();
                probed.await();
            }
            assertThat(requests.get()).isEqualTo(1);
            assertThat(held).hasSize(2); // the request's connection and the probe's
        } finally {
            for (Socket s : new ArrayList<>(held)) s.close();
        }
    }
}
