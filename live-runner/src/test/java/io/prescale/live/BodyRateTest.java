package io.prescale.live;

import io.prescale.live.http.LiveServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The floor on how slowly a body may arrive (--min-request-rate) holds a sender that keeps the server waiting to it, and
 * never blames a sender for the server's own pace: Jetty's floor, which it replaces, counted the time the server took
 * between its reads (parsing, spooling an upload to disk, a loaded machine) against the client, and cut fast uploads off
 * with 408 at load averages of 12-18.
 */
class BodyRateTest {
    @TempDir
    Path dir;

    /** A clock that moves {@code step} each time it is read: every read the floor times waits exactly one step. */
    static final class StepClock implements LongSupplier {
        private final long step;
        private final AtomicLong reads = new AtomicLong();

        StepClock(Duration step) {
            this.step = step.toNanos();
        }

        @Override
        public long getAsLong() {
            return reads.incrementAndGet() * step;
        }

        long reads() {
            return reads.get();
        }
    }

    private static final String X = "\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[0,1,2,3]}}";

    @Test
    void aSenderThatKeepsTheServerWaitingBelowTheFloorIsCutOffWith408() throws Exception {
        // each read takes 1 s on this clock whatever it really takes, and each byte below is sent once the server's read
        // for it has begun (the clock read at its start): 2 bytes in 2 s of waiting, below 16 KB/s once the 2 s grace is
        // spent. Jetty's floor, on the system clock, saw 2 bytes in a few milliseconds and let it be
        StepClock clock = new StepClock(Duration.ofSeconds(1));
        try (LiveHarness h = new LiveHarness(dir, LiveServer.Settings.loopback(0), clock); Socket s = new Socket("127.0.0.1", h.server.port())) {
            assertThat(h.server.minRequestBytesPerSecond()).isEqualTo(LiveServer.Settings.DEFAULT_MIN_REQUEST_RATE);
            s.setTcpNoDelay(true);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the first read took "{" (clock read twice); the second waits for more (read a third time)
            LiveHarness.await("the server's second read waiting", Duration.ofSeconds(10), () -> clock.reads() >= 3);
            out.write('"');
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(answer).containsIgnoringCase("Connection: close");
            assertThat(answer).contains("request body too slow: 2 bytes in 2.0 s of waiting for them, below 16384 bytes/s (--min-request-rate)");
            assertThat(clock.reads()).as("cut off at the second read: no third one").isEqualTo(4);
            assertThat(h.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUploadThatKeepsTheServerWaitingBelowTheFloorIs408Too() throws Exception {
        // the multipart parser reads the body under the floor as well (Jetty's 408 came out of it as a 400 "malformed
        // multipart body"), and what it spooled is removed
        StepClock clock = new StepClock(Duration.ofSeconds(1));
        try (LiveHarness h = new LiveHarness(dir, LiveServer.Settings.loopback(0), clock); Socket s = new Socket("127.0.0.1", h.server.port())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /models HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n-")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LiveHarness.await("the server's second read waiting", Duration.ofSeconds(10), () -> clock.reads() >= 3);
            out.write('-');
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("request body too slow: 2 bytes in 2.0 s of waiting");
            assertThat(h.runtime.registry().all()).isEmpty();
            assertThat(h.get("/models").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withinTheGraceOrWithoutAFloorNothingIsCutOff() throws Exception {
        StepClock clock = new StepClock(Duration.ofMillis(900));
        // 2 reads of 900 ms each: 1.8 s of waiting, within the grace; the body ends and is answered (no such model: 404)
        try (LiveHarness h = new LiveHarness(dir.resolve("grace"), LiveServer.Settings.loopback(0), clock); Socket s = new Socket("127.0.0.1", h.server.port())) {
            String body = "{\"model\":\"none\"," + X + "}";
            s.setTcpNoDelay(true);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body.charAt(0)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LiveHarness.await("the server's second read waiting", Duration.ofSeconds(10), () -> clock.reads() >= 3);
            out.write(body.substring(1).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 404 ").contains("no model named 'none'");
        }
        // no floor: the clock is never read, whatever a body costs
        StepClock unread = new StepClock(Duration.ofSeconds(100));
        try (LiveHarness off = new LiveHarness(dir.resolve("off"), new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 1 << 20, 1 << 20, 0), unread)) {
            assertThat(off.server.minRequestBytesPerSecond()).isZero();
            assertThat(off.post("/predict", "{\"model\":\"none\"," + X + "}").statusCode()).isEqualTo(404);
            assertThat(unread.reads()).isZero();
        }
    }

    @Test
    void aFastSenderIsNeverCutOffForTheServersOwnPace() throws Exception {
        // a floor of 1 TB/s: no server takes bodies that fast, so under Jetty's floor, which counted the server's own time
        // between reads, every body still being read a millisecond after its first byte was 408 (as small uploads were at
        // 16 KB/s on a machine at load 12-18). Here the sender is held only to the time reads wait for its bytes, which
        // a client that sends its whole body at once hardly costs
        long tbPerSecond = 1L << 40;
        try (LiveHarness h = new LiveHarness(dir, new LiveServer.Settings("127.0.0.1", 0, Optional.empty(), 4 << 20, 4 << 20, tbPerSecond))) {
            // a 512 KB upload: parsed, its file part spooled to disk, then refused as no model (not as too slow)
            var upload = h.send(LiveHarness.upload(h.url("/models"), "{\"name\":\"junk\"}", new byte[512 << 10]));
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(400);
            assertThat(upload.body()).contains("not a model ONNX Runtime can load");
            // a 2 MB JSON body, read in pieces
            String pad = "0,".repeat(1 << 20);
            var predict = h.post("/predict", "{\"model\":\"none\",\"inputs\":{\"x\":{\"shape\":[1],\"data\":[" + pad + "0]}}}");
            assertThat(predict.statusCode()).as(predict.body()).isEqualTo(404);
        }
    }
}
