package io.prescale.forecasting.spark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The rows --skip-bad-rows drops are said, as simulate counts them. */
class SkippedRowsNoteTest {
    @Test
    void theForecastCommandsSayHowManyRowsTheySkipped(@TempDir Path dir) throws Exception {
        // 20 hourly rows of which lines 4 and 9 are malformed: backtest, train and show read the other 18 without a word
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (int i = 0; i < 20; i++) csv.append(String.format("%d,3600,a,%s%n", i * 3600, i == 2 || i == 7 ? "many" : "5"));
        Path f = Files.writeString(dir.resolve("t.csv"), csv);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TraceOptions o = new TraceOptions();
        o.trace = "counts-csv:" + f;
        o.skipBadRows = true;
        o.notes = new PrintStream(buf, true);
        assertThat(o.load(o.source()).series().get(0).length()).isEqualTo(20); // the two skipped hours masked
        assertThat(buf.toString().strip()).isEqualTo("note: 2 malformed rows of counts-csv:" + f + " skipped (--skip-bad-rows)");
        // a clean read says nothing
        buf.reset();
        o.trace = "synthetic";
        o.interval = "1h";
        o.load(o.source());
        assertThat(buf.toString()).isEmpty();
    }
}
