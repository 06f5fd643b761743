package io.prescale.forecasting.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI end to end on the seeded synthetic trace (no data folder, no Spark: gbt left out). */
class ForecastCommandTest {

    @Test
    void backtestWritesTheContractFilesAndCharts(@TempDir Path out) throws Exception {
        int rc = new CommandLine(new ForecastCommand()).execute("backtest", "--trace", "synthetic", "--interval", "1h",
                "--horizon", "2h", "--forecasters", "seasonal-naive,holt-winters", "--threads", "2", "--out", out.toString());
        assertThat(rc).isZero();
        JsonNode b = new ObjectMapper().readTree(out.resolve("backtest.json").toFile());
        assertThat(b.get("schema").asText()).isEqualTo("prescale.backtest/v1");
        assertThat(b.get("interval").asText()).isEqualTo("PT1H");
        assertThat(b.get("horizon").asText()).isEqualTo("PT2H");
        assertThat(b.get("trace").get("id").asText()).isEqualTo("synthetic");
        JsonNode s = b.get("series").get(0);
        assertThat(s.get("observations").asInt()).isEqualTo(14 * 24);
        assertThat(s.get("winner").asText()).isIn("seasonal-naive", "holt-winters");
        JsonNode f = s.get("forecasters").get(0);
        assertThat(f.get("forecaster").asText()).isEqualTo("seasonal-naive");
        for (String k : new String[]{"mase", "wape", "pinball50", "pinball90", "coverage90"}) assertThat(f.get(k).isNumber()).as(k).isTrue();
        assertThat(Files.readAllLines(out.resolve("forecasts.csv")).get(0)).isEqualTo("series,forecaster,origin,target,step,actual,mean,p50,p90,p95");
        assertThat(out.resolve("mase.png")).isNotEmptyFile();
        assertThat(out.resolve("index.html")).content().contains("<img src=\"mase.png\"");
    }

    @Test
    void unknownForecasterAndSeriesAreClearErrors(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        int rc = cl.execute("backtest", "--trace", "synthetic", "--forecasters", "nope", "--out", out.toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("unknown forecaster 'nope'");
        rc = cl.execute("show", "--trace", "synthetic", "--model", "nope", "--out", out.resolve("x.png").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--model nope: not in synthetic");
    }

    @Test
    void aBacktestThatScoresNothingExitsOneAndALeadOffTheGridIsRefused(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        // a 20-day horizon on the 14-day synthetic trace: every series is skipped; it used to exit 0 with "0 series"
        int rc = cl.execute("backtest", "--trace", "synthetic", "--interval", "1h", "--horizon", "20d", "--score-window", "1d",
                "--forecasters", "seasonal-naive", "--out", out.resolve("none").toString());
        assertThat(rc).isEqualTo(1);
        // 90 minutes on an hourly grid would be scored as 2 h and labelled 90 min
        rc = cl.execute("backtest", "--trace", "synthetic", "--interval", "1h", "--horizon", "90m", "--forecasters", "seasonal-naive",
                "--out", out.resolve("grid").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--horizon: 90m is not a whole number of the series' 1h intervals");
    }
}
