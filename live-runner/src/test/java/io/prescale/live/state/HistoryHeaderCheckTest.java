package io.prescale.live.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An append to the demand history checks a file's header once, not on every row (it read the whole day's file each minute). */
class HistoryHeaderCheckTest {
    @TempDir
    Path dir;

    final List<Path> checks = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void unhook() {
        DemandHistory.onHeaderChecked = f -> {};
    }

    @Test
    void aDaysFileIsCheckedOnceForItsHeader() throws Exception {
        DemandHistory h = new DemandHistory(dir);
        DemandHistory.onHeaderChecked = checks::add;
        Instant t = Instant.parse("2026-03-01T23:55:00Z");
        // 10 minutes across midnight: 5 rows in 2026-03-01's file, 5 in 2026-03-02's
        for (int m = 0; m < 10; m++) h.record("a", t.plusSeconds(60L * m), new DemandHistory.Totals(m + 1, 0, 0, 0, 0));
        Path day1 = h.file("a", t), day2 = h.file("a", t.plusSeconds(300));
        assertThat(checks).containsExactly(day1, day2);
        assertThat(Files.readAllLines(day1)).hasSize(6).first().isEqualTo(DemandHistory.HEADER.strip());
        assertThat(Files.readAllLines(day2)).hasSize(6).first().isEqualTo(DemandHistory.HEADER.strip());
        // a file gone meanwhile (removed by hand) is checked again: its next row comes with the header
        Files.delete(day2);
        h.record("a", t.plusSeconds(600), new DemandHistory.Totals(20, 0, 0, 0, 0));
        assertThat(checks).containsExactly(day1, day2, day2);
        assertThat(Files.readAllLines(day2)).hasSize(2).first().isEqualTo(DemandHistory.HEADER.strip());
        // another model's file is its own check
        h.record("b", t, new DemandHistory.Totals(1, 0, 0, 0, 0));
        h.record("b", t.plusSeconds(60), new DemandHistory.Totals(2, 0, 0, 0, 0));
        assertThat(checks).hasSize(4).last().isEqualTo(h.file("b", t));
    }
}
