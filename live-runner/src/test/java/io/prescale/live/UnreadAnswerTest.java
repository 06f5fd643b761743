package io.prescale.live;

import io.prescale.live.http.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that asks for large answers and does not read them: each answer stays on the heap until Jetty has written it
 * or given up. The body budget was given back when the handler returned, before the answer was written, so such clients
 * (one connection each) grew the heap by an answer each, outside --max-body-in-flight. An answer now counts from when it is
 * ready until it has been taken, and the answer to a request with a body that does not fit is refused with 429.
 */
class UnreadAnswerTest {
    @TempDir
    Path dir;

    static final long MB = 1 << 20;
    /** Bodies up to 16 MB; bodies and answers held at once up to 26 MB. */
    static final long MAX_BODY = 16 * MB, BUDGET = 26 * MB;
    /** The longest deadline: admission takes a large request's run for the latency of one row and multiplies it by the rows. */
    static final String DAY = "86400000";

    /**
     * {@code rows} of the affine model's 4 floats, each 0.123456, sent binary (16 bytes a row) with the answer asked as
     * JSON: y = 2x + 1 = 1.246912, about 9 bytes a value as text, 36 a row.
     */
    static byte[] body(int rows) {
        byte[] header = header(rows);
        ByteBuffer b = ByteBuffer.allocate(header.length + rows * 16).order(ByteOrder.LITTLE_ENDIAN).put(header);
        while (b.hasRemaining()) b.putFloat(0.123456f);
        return b.array();
    }

    static byte[] header(int rows) {
        return ("{\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + ",4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":"
                + rows * 16 + "}}]}").getBytes(StandardCharsets.US_ASCII);
    }

    static int headerLength(int rows) {
        return header(rows).length;
    }

    static HttpRequest infer(LiveHarness h, int rows) {
        return HttpRequest.newBuilder(java.net.URI.create(h.url("/v2/models/a/infer"))).header("X-Deadline-Ms", DAY)
                .header("Inference-Header-Content-Length", Integer.toString(headerLength(rows)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(rows))).build();
    }

    @Test
    void anAnswerNotYetTakenCountsAgainstTheBudgetUntilItsClientLeaves() throws Exception {
        LiveServer.Settings settings = new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), MAX_BODY, MB, 0, BUDGET);
        // a 6.4 MB body, an answer of about 14.4 MB: more than the system buffers for a client that reads nothing (the
        // sender's buffer grows to net.ipv4.tcp_wmem's largest, 4 MB by default; the receiver's is 4 KB)
        int rows = 400_000;
        org.junit.jupiter.api.Assumptions.assumeTrue(LiveHarness.largestSendBuffer() <= 8 << 20,
                "a send buffer that grows past 8 MB (net.ipv4.tcp_wmem) may take the whole unread answer");
        try (LiveHarness h = new LiveHarness(dir, settings)) {
            assertThat(h.post("/models", LiveHarness.register("a", "affine.onnx", "")).statusCode()).isEqualTo(201);
            byte[] big = body(rows);
            long answer;
            try (Socket unread = new Socket()) {
                unread.setReceiveBufferSize(4096); // before connecting, so the window stays small
                unread.connect(new java.net.InetSocketAddress("127.0.0.1", h.server.port()));
                unread.setSoTimeout(10_000);
                unread.getOutputStream().write(("POST /v2/models/a/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Deadline-Ms: " + DAY
                        + "\r\nInference-Header-Content-Length: " + headerLength(rows) + "\r\nContent-Length: " + big.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                unread.getOutputStream().write(big);
                // the status line has come: the handler and the after-handler are done, the answer is being written
                assertThat(new String(unread.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                answer = (long) bytesInFlight(h);
                // the unread answer is held (was 0: given back before it was written): 1,600,000 values at about 9 bytes
                assertThat(answer).as("the unread answer's bytes").isBetween(13_500_000L, 19 * MB);

                // the same request again: its 6.4 MB body fits beside it (26 MB - 13.5..19 MB = 7..12.5 MB left), its answer
                // (13.5 MB or more) does not
                HttpResponse<String> again = h.send(infer(h, rows));
                assertThat(again.statusCode()).as(again.body()).isEqualTo(429);
                assertThat(again.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(again.body()).contains("answers not yet taken by their clients", "--max-body-in-flight");
                assertThat(bytesInFlight(h)).as("the refused answer is not held").isEqualTo(answer);
                // a read's answer is counted but always sent (the OpenAPI document, 67 KB), a small one is not counted
                assertThat(h.get("/openapi.json").statusCode()).isEqualTo(200);
                assertThat(h.get("/health").statusCode()).isEqualTo(200);
            }
            // the client gone, Jetty gives up on its answer and the budget comes back
            LiveHarness.await("the budget back", Duration.ofSeconds(10), () -> bytesInFlight(h) == 0);
            HttpResponse<String> taken = h.send(infer(h, 2000));
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
            // (given back once Jetty has finished the exchange, which may be just after the client has the last byte)
            LiveHarness.await("a taken answer leaves nothing held", Duration.ofSeconds(5), () -> bytesInFlight(h) == 0);
        }
    }

    private static double bytesInFlight(LiveHarness h) {
        return h.runtime.metrics().registry().get("prescale.http.body.bytes.in.flight").gauge().value();
    }
}
