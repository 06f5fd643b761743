package io.prescale.forecasting.spark.cli;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Series are a trace's model names, any text: the backtest's files keep them apart and intact. */
class SeriesNamesInOutputsTest {
    private static final List<String> NAMES = List.of("a,b \"q\"", "a/b", "a_b");

    @Test
    void namesWithCommasQuotesAndSlashesKeepTheirRowsAndCharts(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        for (int h = 0; h < 4 * 24; h++)
            for (String n : NAMES)
                csv.append(t0.plusSeconds(3600L * h)).append(",3600,\"").append(n.replace("\"", "\"\"")).append("\",").append(10 + h % 24 + (h * 7) % 5).append('\n');
        Path trace = Files.writeString(dir.resolve("counts.csv"), csv);
        Path out = dir.resolve("bt");
        int rc = new CommandLine(new ForecastCommand()).execute("backtest", "--trace", "counts-csv:" + trace, "--interval", "1h",
                "--horizon", "2h", "--score-window", "1d", "--forecasters", "seasonal-naive", "--threads", "1", "--out", out.toString());
        assertThat(rc).isZero();

        // each row still has its 10 fields and its series (the name with a comma made 11 fields)
        Set<String> series = new TreeSet<>();
        try (Reader r = Files.newBufferedReader(out.resolve("forecasts.csv"))) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                assertThat(rec.size()).isEqualTo(10);
                series.add(rec.get("series"));
            }
        }
        assertThat(series).containsExactlyInAnyOrderElementsOf(NAMES);

        // "a/b" and "a_b" each get their own chart (both were forecast-a_b.png, the second overwrote the first)
        Set<String> charts = new TreeSet<>();
        for (String n : NAMES) charts.add(ChartFiles.forecast(n));
        assertThat(charts).hasSize(3).contains("forecast-a_b.png");
        for (String c : charts) assertThat(out.resolve(c)).isNotEmptyFile();
        String html = Files.readString(out.resolve("index.html"));
        for (String c : charts) assertThat(html).contains("<img src=\"" + c + "\"");
    }

    @Test
    void aLongNameStaysAValidFileName() {
        String name = "m".repeat(300);
        String file = ChartFiles.forecast(name);
        assertThat(file).startsWith("forecast-" + "m".repeat(ChartFiles.MAX_NAME) + "-").endsWith(".png");
        assertThat(file.length()).isLessThan(255);
        assertThat(ChartFiles.forecast("m".repeat(301))).isNotEqualTo(file);
        assertThat(ChartFiles.forecast("code-mid")).isEqualTo("forecast-code-mid.png"); // a plain name keeps its file name
    }
}
