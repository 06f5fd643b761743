package io.prescale.live;

import io.prescale.core.forecast.Forecast;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.loop.LiveForecasters;
import io.prescale.live.state.DemandHistory;
import io.prescale.live.state.HistoryExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop and a restart within one minute: the minute's demand is what both processes counted, never a false zero or the
 * new process's part alone read as the whole minute.
 */
class StopHistoryTest {
    private static final String PREDICT = "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}";

    @TempDir
    Path dir;

    private static void predict(LiveHarness live, int n) {
        for (int i = 0; i < n; i++) assertThat(live.post("/predict", PREDICT).statusCode()).isEqualTo(200);
    }

    @Test
    void aGracefulStopKeepsItsPartOfTheMinuteAndAKilledOnesRestartMinuteIsAGap() throws Exception {
        Instant m = Instant.parse("2026-03-01T17:00:00Z");
        LiveHarness first = new LiveHarness(dir, m); // started on the minute: 17:00 is seen whole
        assertThat(first.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
        first.runtime.startTimers(); // as serve does: the history is written by its timers, and the stop's minute too
        predict(first, 2);
        first.runtime.recordHistory(m); // 17:00 ends: the timer writes it
        first.clock.advance(Duration.ofSeconds(85)); // 17:01:25
        predict(first, 3);
        first.close(); // kill -TERM: what 17:01 counted so far is kept, marked head

        LiveHarness second = new LiveHarness(dir, m.plusSeconds(100)); // started again at 17:01:40, model restored
        predict(second, 2);
        second.runtime.recordHistory(m.plusSeconds(60)); // 17:01 ends: this process saw its tail
        second.clock.advance(Duration.ofSeconds(30)); // 17:02:10
        predict(second, 4);
        second.server.close(); // kill -9: nothing of 17:02 is written, the runtime is abandoned

        LiveHarness third = new LiveHarness(dir, m.plusSeconds(150)); // 17:02:30
        try {
            predict(third, 1);
            third.runtime.recordHistory(m.plusSeconds(120));
            assertThat(Files.readAllLines(third.runtime.history().file("affine", m))).extracting(l -> l.replaceAll(",[0-9.]+,(\\w+)$", ",_,$1"))
                    .containsExactly(DemandHistory.HEADER.strip(), "2026-03-01T17:00:00Z,2,2,0,0,_,all", "2026-03-01T17:01:00Z,3,3,0,0,_,head",
                            "2026-03-01T17:01:00Z,2,2,0,0,_,tail", "2026-03-01T17:02:00Z,1,1,0,0,_,tail");

            // the export: 17:01 is both processes' 3 + 2 = 5 (was: no row from the stop, and 17:01 written as the second's 2 alone);
            // 17:02 lost its head with the killed process: a gap carrying the 1 arrival seen, not a whole minute of 1
            Path out = dir.resolve("live.csv");
            HistoryExport.toCountsCsv(third.runtime.history().dir(), out);
            assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                    "2026-03-01T17:00:00Z,60,affine,2,0", "2026-03-01T17:01:00Z,60,affine,5,0", "2026-03-01T17:02:00Z,60,affine,1,1");

            // the warm-up: 10-minute bucket 17:00 holds two whole minutes (2 + 5 = 7), scaled to ten: 7 x 10 / 2 = 35;
            // the partial 17:02 is left out rather than read as a minute of 1
            List<Double> seen = new ArrayList<>();
            Forecaster recorder = new Forecaster() {
                @Override public String id() { return "recorder"; }
                @Override public Duration interval() { return Duration.ofMinutes(10); }
                @Override public void observe(String s, Instant start, double count) { seen.add(count); }
                @Override public Forecast forecast(String s, Instant now, Duration horizon) { throw new UnsupportedOperationException(); }
            };
            assertThat(LiveForecasters.warm(recorder, third.runtime.history().dir(), Set.of("affine"), m.plusSeconds(600))).isEqualTo(1);
            assertThat(seen).containsExactly(35.0);
        } finally {
            third.close();
        }
    }

    @Test
    void filesWrittenBeforeTheObservedColumnAreGivenItAtStartAndStillRead() throws Exception {
        Path part = dir.resolve("state/history/model=old/date=2026-03-01/part.csv");
        Files.createDirectories(part.getParent());
        // as an earlier runner wrote it, the last line torn by a crash
        Files.writeString(part, "minute,arrivals,completed,rejected,timed_out,mean_latency_ms\n2026-03-01T10:00:00Z,5,5,0,0,1.000\n"
                + "2026-03-01T10:01:00Z,7,7,0,0,1.000\n2026-03-01T10:0");
        Path out = dir.resolve("old.csv");
        HistoryExport.toCountsCsv(part.getParent().getParent().getParent(), out); // read as it is
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-03-01T10:00:00Z,60,old,5,0", "2026-03-01T10:01:00Z,60,old,7,0");
        // one header for every file (Spark reads a folder by one): rewritten at start, each old row a whole minute
        new LiveHarness(dir, Instant.parse("2026-03-02T00:00:00Z")).close();
        assertThat(Files.readAllLines(part)).containsExactly(DemandHistory.HEADER.strip(), "2026-03-01T10:00:00Z,5,5,0,0,1.000,all",
                "2026-03-01T10:01:00Z,7,7,0,0,1.000,all");
    }

    @Test
    void theMinuteTimerNeverWritesAMinuteTwiceNorGoesBackWhenTheClockDoes() throws Exception {
        Instant m = Instant.parse("2026-03-01T17:00:00Z");
        try (LiveHarness live = new LiveHarness(dir, m)) {
            assertThat(live.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
            predict(live, 2);
            live.runtime.recordDue(m.plusSeconds(60).plusMillis(50)); // 17:01:00.05: 17:00 ended, 2 arrivals
            predict(live, 3);
            live.runtime.recordDue(m.plusSeconds(119)); // a run before its minute's end (its phase drifted): 17:00 is on file
            live.runtime.recordDue(m.plusSeconds(30)); // the clock set back to 17:00:30: the minute before, 16:59, is no row now
            predict(live, 4);
            live.runtime.recordDue(m.plusSeconds(120).plusMillis(50)); // 17:02:00.05: 17:01, with what came meanwhile (3 + 4)
            List<String> rows = Files.readAllLines(live.runtime.history().file("affine", m));
            assertThat(rows).containsExactly(DemandHistory.HEADER.strip(),
                    "2026-03-01T17:00:00Z,2,2,0,0," + rows.get(1).split(",")[5] + ",all",
                    "2026-03-01T17:01:00Z,7,7,0,0," + rows.get(2).split(",")[5] + ",all");
        }
    }

    @Test
    void aStopWithTheClockSetBackWritesNoRowBackInTime() throws Exception {
        Instant m = Instant.parse("2026-03-01T17:00:00Z");
        LiveHarness live = new LiveHarness(dir, m);
        assertThat(live.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
        live.runtime.startTimers(); // so the stop records its minute
        predict(live, 2);
        live.runtime.recordDue(m.plusSeconds(60).plusMillis(50)); // 17:00 on file
        live.clock.advance(Duration.ofSeconds(-90)); // 16:58:30: the stop's minute, 16:58, is before it
        predict(live, 1);
        live.close();
        assertThat(Files.readAllLines(live.runtime.history().file("affine", m))).hasSize(2) // the header and 17:00
                .last().asString().startsWith("2026-03-01T17:00:00Z,2,");
    }
}
