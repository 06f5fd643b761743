package io.prescale.live;

import io.prescale.core.trace.TraceRecord;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.live.state.DemandHistory;
import io.prescale.live.state.HistoryExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryExportTest {
    @TempDir
    Path dir;

    @Test
    void historyBecomesACountsCsvTraceWithGapsWhereTheRunnerWasDown() throws Exception {
        DemandHistory h = new DemandHistory(dir);
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        h.record("a", t, new DemandHistory.Totals(5, 5, 0, 0, 0));
        h.record("a", t.plusSeconds(60), new DemandHistory.Totals(12, 12, 0, 0, 0));
        // 10:02 missing: the runner was down; after a restart totals count from zero again
        DemandHistory after = new DemandHistory(dir);
        after.record("a", t.plusSeconds(180), new DemandHistory.Totals(4, 4, 0, 0, 0));
        Path out = dir.resolve("live.csv");
        assertThat(HistoryExport.toCountsCsv(h.dir(), out)).isEqualTo(4);
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-03-01T10:00:00Z,60,a,5,0", "2026-03-01T10:01:00Z,60,a,7,0", "2026-03-01T10:02:00Z,60,a,0,1", "2026-03-01T10:03:00Z,60,a,4,0");
        // and the datasets module reads it as a trace
        List<TraceRecord> records = new ArrayList<>();
        try (var r = SharedTraces.resolve("counts-csv:" + out, (Path) null).open(ReadOptions.STRICT)) {
            r.forEachRemaining(records::add);
        }
        assertThat(records).hasSize(4);
        assertThat(((TraceRecord.IntervalCount) records.get(2)).gap()).isTrue();
        assertThat(((TraceRecord.IntervalCount) records.get(1)).count()).isEqualTo(7);
    }

    @Test
    void aBadRowNamesFileAndLineWhileATornLastLineIsSkipped() throws Exception {
        DemandHistory h = new DemandHistory(dir);
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        h.record("a", t, new DemandHistory.Totals(5, 5, 0, 0, 0));
        h.record("a", t.plusSeconds(60), new DemandHistory.Totals(9, 9, 0, 0, 0));
        Path part;
        try (var files = Files.walk(h.dir())) {
            part = files.filter(p -> p.getFileName().toString().equals("part.csv")).findFirst().orElseThrow();
        }
        List<String> good = Files.readAllLines(part);
        // a crash can cut the last line short: skipped, the rows before it kept
        Files.write(part, List.of(good.get(0), good.get(1), good.get(2), "2026-03-01T10:02:00Z,1"));
        Files.writeString(part, Files.readString(part).replaceFirst("2026-03-01T10:02:00Z,1\n$", "2026-03-01T10:0"));
        assertThat(HistoryExport.toCountsCsv(h.dir(), dir.resolve("ok.csv"))).isEqualTo(2);
        // after a restart the next minute is appended on a line of its own: the torn fragment is cut off first, where
        // it once ran on into the new line and broke the export for good
        new DemandHistory(dir).record("a", t.plusSeconds(180), new DemandHistory.Totals(3, 3, 0, 0, 0));
        assertThat(Files.readString(part)).doesNotContain("2026-03-01T10:0\n").endsWith("\n");
        assertThat(HistoryExport.toCountsCsv(h.dir(), dir.resolve("ok2.csv"))).isEqualTo(4); // 10:00, 10:01, gap 10:02, 10:03
        assertThat(Files.readAllLines(dir.resolve("ok2.csv"))).contains("2026-03-01T10:03:00Z,60,a,3,0");
        // a complete line that is bad is named even at the end of the file: only an unterminated one is torn
        Files.write(part, List.of(good.get(0), good.get(1), "2026-03-01T10:01:00Z,abc"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryExport.toCountsCsv(h.dir(), dir.resolve("bad.csv")))
                .hasMessageStartingWith(part + ":3: ");
        // a bad row anywhere else was once exported as a gap, or its arrivals lost: now it is named
        for (String bad : new String[]{"2026-03-01T10:00:00Z,abc", "2026-03-01T10:00:30Z,20", "2026-03-01T10:00:00Z,-5"}) {
            Files.write(part, List.of(good.get(0), bad, good.get(2)));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryExport.toCountsCsv(h.dir(), dir.resolve("bad.csv")))
                    .as(bad).hasMessageStartingWith(part + ":2: ");
        }
    }

    @Test
    void aNameServedByAnotherModelFileIsExportedAsTwoSeriesUnlessTheyAreMerged() throws Exception {
        // the rows of a name outlive its model: removed and registered again with another file, both files' demand was
        // exported as one series under the name, and forecast train learnt one model's demand from the other's
        DemandHistory h = new DemandHistory(dir);
        String a = "a".repeat(64), b = "b".repeat(64);
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        h.registered("m", a, t); // the first file owns the rows
        h.record("m", "first", t, new DemandHistory.Totals(5, 5, 0, 0, 0));
        h.record("m", "first", t.plusSeconds(60), new DemandHistory.Totals(12, 12, 0, 0, 0));
        h.registered("m", b, t.plusSeconds(125)); // another file from 10:02 on
        h.record("m", "second", t.plusSeconds(120), new DemandHistory.Totals(40, 40, 0, 0, 0));
        h.record("m", "second", t.plusSeconds(180), new DemandHistory.Totals(90, 90, 0, 0, 0));
        Path out = dir.resolve("live.csv");
        assertThat(HistoryExport.toCountsCsv(h.dir(), out)).isEqualTo(4);
        // the current file's rows under the name, the earlier file's under name@ its digest's first 12 hex digits
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-03-01T10:00:00Z,60,m@aaaaaaaaaaaa,5,0", "2026-03-01T10:01:00Z,60,m@aaaaaaaaaaaa,7,0",
                "2026-03-01T10:02:00Z,60,m,40,0", "2026-03-01T10:03:00Z,60,m,50,0");
        // merged on request (a new file of the same endpoint, whose demand goes on): one series, as before
        assertThat(HistoryExport.toCountsCsv(h.dir(), out, true)).isEqualTo(4);
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-03-01T10:00:00Z,60,m,5,0", "2026-03-01T10:01:00Z,60,m,7,0", "2026-03-01T10:02:00Z,60,m,40,0", "2026-03-01T10:03:00Z,60,m,50,0");

        // the first file again from 10:04: its rows are the name's again, the other file's minutes a gap in them
        h.registered("m", a, t.plusSeconds(240));
        h.record("m", "third", t.plusSeconds(240), new DemandHistory.Totals(3, 3, 0, 0, 0));
        assertThat(HistoryExport.toCountsCsv(h.dir(), out)).isEqualTo(7);
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-03-01T10:00:00Z,60,m,5,0", "2026-03-01T10:01:00Z,60,m,7,0",
                "2026-03-01T10:02:00Z,60,m,0,1", "2026-03-01T10:02:00Z,60,m@bbbbbbbbbbbb,40,0",
                "2026-03-01T10:03:00Z,60,m,0,1", "2026-03-01T10:03:00Z,60,m@bbbbbbbbbbbb,50,0",
                "2026-03-01T10:04:00Z,60,m,3,0");
        // a lineage file the export cannot read is named, with its line
        Path lineage = h.dir().resolve("model=m/.registration");
        Files.writeString(lineage, Files.readString(lineage) + "zz not-a-time\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryExport.toCountsCsv(h.dir(), out))
                .hasMessageStartingWith(lineage + ":4: ");
    }

    @Test
    void aRowDatedDecadesBackIsRefusedNamingItsFileInsteadOfMillionsOfGapRows() throws Exception {
        DemandHistory h = new DemandHistory(dir);
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        // a row written while the clock read 1976, then two minutes under the right clock
        h.record("a", Instant.parse("1976-03-01T10:00:00Z"), new DemandHistory.Totals(2, 2, 0, 0, 0));
        h.record("a", t, new DemandHistory.Totals(7, 7, 0, 0, 0));
        h.record("a", t.plusSeconds(60), new DemandHistory.Totals(9, 9, 0, 0, 0));
        Path out = dir.resolve("live.csv");
        // 50 years of minutes (26 million gap rows) were written before; now the 18,262-day gap is named, with both rows
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryExport.toCountsCsv(h.dir(), out))
                .hasMessageContaining("series a has no row for 18262 days, from 1976-03-01T10:00:00Z (")
                .hasMessageContaining(h.file("a", Instant.parse("1976-03-01T10:00:00Z")) + ":2) to 2026-03-01T10:00:00Z (")
                .hasMessageContaining(h.file("a", t) + ":2)")
                .hasMessageContaining("wrong clock");
        assertThat(out).doesNotExist();
        // a gap within the bound is still written as gap rows: 10:02 missing
        h.record("a", t.plusSeconds(180), new DemandHistory.Totals(10, 10, 0, 0, 0));
        Files.delete(h.file("a", Instant.parse("1976-03-01T10:00:00Z")));
        assertThat(HistoryExport.toCountsCsv(h.dir(), out)).isEqualTo(4);
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void minutesNoSeriesSpansAreSkippedNotWalked() throws Exception {
        DemandHistory h = new DemandHistory(dir);
        // two names, each with one minute, 5,000 years apart: only their two rows are written (the minute-by-minute walk
        // between them, 2.6 billion minutes, ran for hours before)
        h.record("early", Instant.parse("2026-03-01T10:00:00Z"), new DemandHistory.Totals(3, 3, 0, 0, 0));
        h.record("late", Instant.parse("7026-03-01T10:00:00Z"), new DemandHistory.Totals(4, 4, 0, 0, 0));
        Path out = dir.resolve("live.csv");
        assertThat(HistoryExport.toCountsCsv(h.dir(), out)).isEqualTo(2);
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-03-01T10:00:00Z,60,early,3,0", "7026-03-01T10:00:00Z,60,late,4,0");
    }
}
