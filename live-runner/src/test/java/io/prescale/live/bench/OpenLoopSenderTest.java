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

    @Test
    void closingGivesUpOnAHungServerAsAWholeWithinItsBound() throws Exception {
        // a runner that takes requests and never answers: close() waited for each queued request in turn, a read timeout
        // (120 s) each, so a replay's end hung for minutes; a bounded close cuts the one in flight off and sends no more
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        held.add(server.accept()); // read by no one, answered never
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "hung");
            acceptor.setDaemon(true);
            acceptor.start();
            List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
            OpenLoopSender sender = new OpenLoopSender(URI.create("http://127.0.0.1:" + server.getLocalPort()), "/predict", 1, 4, "t", true,
                    (key, status, micros, serverMicros) -> codes.add(status));
            for (int i = 0; i < 3; i++) sender.sendAt("m", 0, new byte[]{'{', '}'});
            boolean answered = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                    () -> sender.close(100, java.util.concurrent.TimeUnit.MILLISECONDS), "a hang guard: the bound is 100 ms");
            assertThat(answered).isFalse();
            assertThat(codes).as("one cut off in flight, two never sent: each with no answer").containsExactly(-1, -1, -1);
            assertThat(held).as("one connection, the request not sent again after the cut").hasSize(1);
            assertThat(sender.firstErrors().get("m")).startsWith("no answer");
        } finally {
            for (Socket s : new ArrayList<>(held)) s.close();
        }
    }

    @Test
    void closingWithinItsBoundSaysEveryAnswerCame() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket s = server.accept()) {
                    java.io.InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] b = new byte[4096];
                    for (int answered = 0; answered < 2; ) {
                        int n = in.read(b);
                        if (n < 0) return;
                        // each request is one small write of head and body here: answer once per request read
                        for (int i = 0; i + 3 < n; i++) if (b[i] == 'P' && b[i + 1] == 'O' && b[i + 2] == 'S' && b[i + 3] == 'T') {
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1));
                            answered++;
                        }
                        out.flush();
                    }
                    in.read(b); // until the client goes
                } catch (Exception e) {
                    // the client went
                }
            }, "answers");
            acceptor.setDaemon(true);
            acceptor.start();
            List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
            OpenLoopSender sender = new OpenLoopSender(URI.create("http://127.0.0.1:" + server.getLocalPort()), "/predict", 1, 4, "t", true,
                    (key, status, micros, serverMicros) -> codes.add(status));
            sender.sendAt("m", 0, new byte[]{'{', '}'});
            sender.sendAt("m", 0, new byte[]{'{', '}'});
            assertThat(sender.close(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(codes).containsExactly(200, 200);
        }
    }
}
