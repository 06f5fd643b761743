package io.prescale.live;

import io.prescale.core.forecast.Forecaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts Jetty spools to disk while an upload is received (above 64 KB each) go to the state folder's
 * {@code uploads-receiving/}, not the system's temp folder, where a runner killed mid-upload left them for good: a start
 * removes what a previous run left there, and never what another runner (its own state folder) is receiving.
 */
class UploadSpoolTest {
    @TempDir
    Path dir;

    @Test
    void anUploadBeingReceivedIsSpooledUnderTheStateFolderAndAFinishedOneLeavesNothing() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            Path spool = h.state.resolve("uploads-receiving");
            try (Socket s = new Socket("127.0.0.1", h.server.port())) {
                LiveHarness.stallUpload(s);
                LiveHarness.await("the stalled upload's file part spooled under the state folder", Duration.ofSeconds(10), () -> files(spool) == 1);
            }
            LiveHarness.await("its part removed once its client left", Duration.ofSeconds(30), () -> files(spool) == 0);
            // a whole upload of 200 KB (not a model: 400) is spooled too, and its part removed once it is answered
            var r = h.send(LiveHarness.upload(h.url("/models"), "{\"name\":\"junk\"}", new byte[200 << 10]));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            LiveHarness.await("the answered upload's part removed", Duration.ofSeconds(10), () -> files(spool) == 0);
        }
    }

    @Test
    void aStartRemovesWhatAKilledRunLeftSpooledButNotAnotherRunnersUploads() throws Exception {
        Path store = dir.resolve("store");
        LiveHarness.copyFixtures(store);
        Path mine = dir.resolve("state-a");
        Path other = dir.resolve("state-b"); // another runner on the same model store, receiving an upload now
        Path leftover = Files.createDirectories(mine.resolve("uploads-receiving")).resolve("MultiPart123456789");
        Path inFlight = Files.createDirectories(other.resolve("uploads-receiving")).resolve("MultiPart987654321");
        Files.write(leftover, new byte[1 << 16]);
        Files.write(inFlight, new byte[1 << 16]);
        LiveRuntime rt = LiveRuntime.open(new LiveRuntime.Options(mine, store, 0.04, new TestPolicies(), id -> Forecaster.none(),
                new ManualClock(java.time.Instant.parse("2026-01-05T10:00:00Z"))));
        try {
            assertThat(leftover).doesNotExist();
            assertThat(inFlight).exists();
        } finally {
            rt.close();
        }
    }

    private static long files(Path d) {
        if (!Files.isDirectory(d)) return 0;
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
