package io.prescale.live;

import io.prescale.live.http.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that read their answers slowly, or not at all: a queued request's answer was written on one of a few threads
 * of its own (as many as the machine's cores, at least two), and a write waits for its client. Two slow readers on a
 * 2-core machine held them all, and every queued request of every model waited for its answer until one of them gave up
 * (the idle timeout, 10 s without a byte taken; a client that takes a little now and then holds it for as long as its
 * answer lasts). Answers are now written on the server's request threads (250).
 */
class SlowReaderTest {
    @TempDir
    Path dir;

    @Test
    void answersNotReadDoNotHoldTheAnswersOfOtherRequests() throws Exception {
        // as many clients that read nothing as there were threads to write answers
        int slow = Math.max(2, Runtime.getRuntime().availableProcessors());
        LiveServer.Settings settings = new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 16 << 20, 1 << 20,
                LiveServer.Settings.DEFAULT_MIN_REQUEST_RATE, 4L << 30);
        org.junit.jupiter.api.Assumptions.assumeTrue(LiveHarness.largestSendBuffer() <= 4 << 20,
                "a send buffer that grows past 4 MB (net.ipv4.tcp_wmem) may take the whole unread answer");
        try (LiveHarness h = new LiveHarness(dir, settings)) {
            // batched, so every request is queued and answered once a replica has run it (no direct run on its own thread)
            assertThat(h.post("/models", LiveHarness.register("a", "affine.onnx", "\"batching\":{\"maxBatch\":8},\"timeout\":\"60s\""))
                    .statusCode()).isEqualTo(201);
            // 400,000 rows each way, binary: a 6.4 MB answer, more than the system buffers for a client that reads nothing
            // (the sender's buffer grows to net.ipv4.tcp_wmem's largest, 4 MB by default; the receiver's is 4 KB here)
            int rows = 400_000;
            byte[] header = ("{\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + ",4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":"
                    + rows * 16 + "}}],\"parameters\":{\"binary_data_output\":true}}").getBytes(StandardCharsets.US_ASCII);
            byte[] body = java.util.Arrays.copyOf(header, header.length + rows * 16);
            byte[] head = ("POST /v2/models/a/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Deadline-Ms: 86400000\r\nInference-Header-Content-Length: "
                    + header.length + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            List<Socket> unread = new ArrayList<>();
            try {
                for (int i = 0; i < slow; i++) {
                    Socket s = new Socket();
                    unread.add(s);
                    s.setReceiveBufferSize(4096); // before connecting, so the window stays small
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", h.server.port()));
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(head);
                    s.getOutputStream().write(body);
                    // its answer is being written, and the write waits for this client, which reads no further
                    assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                }
                // a small request: queued, run, and answered at once (it waited 10 s, until the idle timeout freed a writer)
                HttpResponse<String> small = h.send(HttpRequest.newBuilder(java.net.URI.create(h.url("/predict"))).timeout(Duration.ofSeconds(5))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"a\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}")).build());
                assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
                assertThat(small.body()).contains("3.0,5.0,7.0,9.0");
            } finally {
                for (Socket s : unread) s.close();
            }
        }
    }
}
