package io.prescale.live;

import io.prescale.live.state.DemandHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemandHistoryTest {
    @TempDir
    Path dir;

    @Test
    void appendsMinuteDeltasAsHivePartitionedCsv() throws Exception {
        DemandHistory h = new DemandHistory(dir);
        Instant m0 = Instant.parse("2026-03-01T23:58:00Z");
        h.record("vad", m0, new DemandHistory.Totals(10, 8, 1, 1, 8_000));
        h.record("vad", m0.plusSeconds(60), new DemandHistory.Totals(25, 20, 3, 1, 20_000));
        h.record("vad", m0.plusSeconds(120), new DemandHistory.Totals(25, 20, 3, 1, 20_000)); // next day, no traffic
        Path day1 = dir.resolve("history/model=vad/date=2026-03-01/part.csv");
        Path day2 = dir.resolve("history/model=vad/date=2026-03-02/part.csv");
        // minute 23:59: arrivals 25-10=15, completed 12, rejected 2, timed out 0, mean latency (20000-8000) us / 12 = 1.000 ms
        // 23:58 counts from zero: 10 arrivals, 8 completed, 1 rejected, 1 timed out, 8000 us / 8 = 1.000 ms
        assertThat(Files.readAllLines(day1)).containsExactly(DemandHistory.HEADER.strip(), "2026-03-01T23:58:00Z,10,8,1,1,1.000,all",
                "2026-03-01T23:59:00Z,15,12,2,0,1.000,all");
        assertThat(Files.readAllLines(day2)).containsExactly(DemandHistory.HEADER.strip(), "2026-03-02T00:00:00Z,0,0,0,0,0.000,all");
    }

    @Test
    void aRowACrashCutShortInAFileNoLongerAppendedToIsRemovedAtTheNextStart() throws Exception {
        // killed mid-append at 23:59: the row of 23:59 is torn in the day's file, and the runner's next rows go to the next
        // day's file, so no append ever dropped it; Spark read "2026-03-01T23:59:00Z,12" as a row of 12 arrivals
        Path day = dir.resolve("state/history/model=gone/date=2026-03-01/part.csv");
        Files.createDirectories(day.getParent());
        String whole = DemandHistory.HEADER + "2026-03-01T23:58:00Z,100,100,0,0,1.000,all\n";
        Files.writeString(day, whole + "2026-03-01T23:59:00Z,12");
        Path fine = dir.resolve("state/history/model=kept/date=2026-03-01/part.csv");
        Files.createDirectories(fine.getParent());
        Files.writeString(fine, whole);
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(day).hasContent(whole);
            assertThat(fine).hasContent(whole);
        }
    }

    @Test
    void forgettingARemovedModelKeepsTheBaselineOfOneRegisteredAgainUnderItsName() throws Exception {
        DemandHistory h = new DemandHistory(dir.resolve("forget"));
        Object old = new Object(), again = new Object();
        Instant m0 = Instant.parse("2026-03-01T10:00:00Z");
        h.record("m", old, m0, new DemandHistory.Totals(3, 3, 0, 0, 3_000));
        h.record("m", again, m0.plusSeconds(60), new DemandHistory.Totals(5, 5, 0, 0, 5_000)); // registered again, counts from zero
        h.forget("m", old); // the old one's drain ends after that: its forget must not drop the new one's baseline
        h.record("m", again, m0.plusSeconds(120), new DemandHistory.Totals(7, 7, 0, 0, 7_000));
        // 10:02 is 7 - 5 = 2 arrivals, not 7 (a baseline dropped would count the new server's totals from zero again)
        assertThat(Files.readAllLines(h.file("m", m0))).last().isEqualTo("2026-03-01T10:02:00Z,2,2,0,0,1.000,all");
        h.forget("m", again);
        h.record("m", again, m0.plusSeconds(180), new DemandHistory.Totals(8, 8, 0, 0, 8_000));
        assertThat(Files.readAllLines(h.file("m", m0))).last().isEqualTo("2026-03-01T10:03:00Z,8,8,0,0,1.000,all");
    }

    @Test
    void liveTrafficLandsInTheHistory() {
        try (LiveHarness live = new LiveHarness(dir.resolve("live"))) {
            assertThat(live.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
            for (int i = 0; i < 3; i++)
                assertThat(live.post("/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
            Instant m = Instant.parse("2026-03-01T10:00:00Z");
            live.runtime.recordHistory(m);
            String line;
            try {
                line = Files.readAllLines(live.runtime.history().file("affine", m)).get(1);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertThat(line).startsWith("2026-03-01T10:00:00Z,3,3,0,0,");
            assertThat(List.of(live.runtime.history().dir().toFile().list())).containsExactly("model=affine");
        }
    }

    @Test
    void aModelRegisteredAgainCountsFromZeroNotFromItsOldSelfsTotals() throws Exception {
        // the minute's baseline was kept by name until DELETE's drain ended: a model registered again meanwhile had its
        // first minute counted against the old one's totals (3 arrivals then, 1 now: a row of -2 arrivals)
        try (LiveHarness live = new LiveHarness(dir.resolve("again"))) {
            String predict = "{\"model\":\"back\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}";
            assertThat(live.post("/models", LiveHarness.register("back", "affine.onnx", "")).statusCode()).isEqualTo(201);
            for (int i = 0; i < 3; i++) assertThat(live.post("/predict", predict).statusCode()).isEqualTo(200);
            Instant m = Instant.parse("2026-03-01T10:00:00Z");
            live.runtime.recordHistory(m);
            // removed (as DELETE does first) and registered again while the old one would still drain
            assertThat(live.runtime.registry().remove("back", java.time.Duration.ofSeconds(5))).isPresent();
            assertThat(live.post("/models", LiveHarness.register("back", "affine.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(live.post("/predict", predict).statusCode()).isEqualTo(200);
            live.runtime.recordHistory(m.plusSeconds(60));
            assertThat(Files.readAllLines(live.runtime.history().file("back", m))).element(2).asString().startsWith("2026-03-01T10:01:00Z,1,1,0,0,");
        }
    }
}
