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
        int rc = cl.execute("backtest", "--trace", "synthetic", "--forecasters", "nope", "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--forecasters: unknown forecaster 'nope'");
        assertThat(out.resolve("bt")).doesNotExist(); // refused before the run folder is made
        rc = cl.execute("backtest", "--trace", "synthetic", "--forecasters", "prophet-style", "--events", out.resolve("nope.yaml").toString(),
                "--out", out.resolve("ev").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--events: no such file: " + out.resolve("nope.yaml"));
        assertThat(out.resolve("ev")).doesNotExist(); // was left behind, empty
        rc = cl.execute("show", "--trace", "synthetic", "--model", "code-mid", "--out", out.toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--out: " + out + " is a folder; give the PNG file to write");
        rc = cl.execute("show", "--trace", "synthetic", "--model", "nope", "--out", out.resolve("x.png").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--model nope: not in synthetic");
    }

    @Test
    void aMisspeltSeriesIsNamedWithTheClosestAndTheTracesSeries(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        // was "--series [chat-larg] matches none of the trace's series", without the names forecast show lists
        int rc = cl.execute("backtest", "--trace", "synthetic", "--series", "chat-larg", "--forecasters", "seasonal-naive",
                "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--series: no series 'chat-larg' in synthetic, did you mean chat-large? (series: chat-large, ");
        // one good name beside a misspelt one: the misspelt one was dropped without a word
        rc = cl.execute("backtest", "--trace", "synthetic", "--series", "chat-large,code-mdi", "--forecasters", "seasonal-naive",
                "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--series: no series 'code-mdi' in synthetic, did you mean code-mid?");
        assertThat(out.resolve("bt")).doesNotExist();
        rc = cl.execute("show", "--trace", "synthetic", "--model", "code-mdi", "--out", out.resolve("x.png").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--model code-mdi: not in synthetic, did you mean code-mid? (series: ");
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
        // the scored span too: 1d30m on an hourly grid scored the last 25 h and was written "scoreWindow": "PT24H30M"
        rc = cl.execute("backtest", "--trace", "synthetic", "--interval", "1h", "--horizon", "2h", "--score-window", "1d30m",
                "--forecasters", "seasonal-naive", "--out", out.resolve("window").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--score-window: 1d30m is not a whole number of the series' 1h intervals");
        assertThat(out.resolve("window")).doesNotExist();
        rc = cl.execute("show", "--trace", "synthetic", "--interval", "1h", "--model", "code-mid", "--horizon", "2h", "--days", "1d30m",
                "--out", out.resolve("x.png").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--days: 1d30m is not a whole number of the series' 1h intervals");
    }

    @Test
    void anIntervalFinerThanTheTracesAndAnUnknownHolidaySetNameTheirFlag(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        // was "synthetic has PT5M intervals: the forecasting interval (PT2M) must be a multiple of it", naming no flag
        int rc = cl.execute("backtest", "--trace", "synthetic", "--interval", "2m", "--forecasters", "seasonal-naive", "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--interval: synthetic has 5m intervals: the forecasting interval, 2m, must be a whole number of them");
        // was "unknown holiday set 'xmas' (known: none, us)"
        rc = cl.execute("backtest", "--trace", "synthetic", "--interval", "1h", "--horizon", "2h", "--holidays", "xmas", "--forecasters", "seasonal-naive",
                "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--holidays: unknown holiday set 'xmas' (known: none, us)");
        assertThat(out.resolve("bt")).doesNotExist();
    }

    @Test
    void showNamesItsForecasterAndArtifactFlags(@TempDir Path out) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        // was "forecaster: unknown forecaster 'holt-winter'", after the trace was read
        int rc = cl.execute("show", "--trace", "synthetic", "--model", "code-mid", "--forecaster", "holt-winter", "--out", out.resolve("x.png").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--forecaster: unknown forecaster 'holt-winter', did you mean holt-winters?");
        // was an in-sample warning about the file read as a gbt artifact, then "forecasters.holt-winters.artifact: unknown parameter"
        Path artifact = Files.writeString(out.resolve("gbt.json"), "{}");
        rc = cl.execute("show", "--trace", "synthetic", "--model", "code-mid", "--forecaster", "holt-winters", "--artifact", artifact.toString(),
                "--out", out.resolve("x.png").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--artifact: holt-winters takes no artifact (gbt and prophet-style do, and ensemble its gbt member's)");
        assertThat(out.resolve("x.png")).doesNotExist();
    }

    @Test
    void aBareNumberForADurationIsRefusedNamingTheOption(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        // "--horizon 30" was read as 30 s and answered "30s is not a whole number of the series' 10m intervals"
        String[][] cases = {
                {"backtest", "--horizon", "30"}, {"backtest", "--score-window", "3"}, {"backtest", "--interval", "600"},
                {"show", "--days", "3"}, {"train", "--horizon", "2"}};
        for (String[] c : cases) {
            String[] args = c[0].equals("show")
                    ? new String[]{c[0], "--trace", "synthetic", "--model", "a", c[1], c[2], "--out", out.resolve("x.png").toString()}
                    : new String[]{c[0], "--trace", "synthetic", "--forecasters", "seasonal-naive", c[1], c[2], "--out", out.resolve("r").toString()};
            if (c[0].equals("train")) args = new String[]{c[0], "--trace", "synthetic", c[1], c[2], "--out", out.resolve("r").toString()};
            assertThat(cl.execute(args)).as(String.join(" ", c)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", c)).contains(c[1] + ": '" + c[2] + "' has no unit: write " + c[2] + "s, " + c[2] + "m");
        }
        assertThat(out.resolve("r")).doesNotExist();
    }

    @Test
    void anIntervalThatDoesNotDivideADayNamesTheOption(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        // was "forecasting interval must divide one day evenly, got PT7M": no flag, and Java's spelling of it
        int rc = cl.execute("backtest", "--trace", "synthetic", "--interval", "7m", "--forecasters", "seasonal-naive", "--out", out.resolve("r").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--interval: '7m' must divide one day evenly (e.g. 1m, 5m, 10m, 15m, 1h)");
    }

    @Test
    void listItemsAreTrimmed() {
        BacktestCommand b = new BacktestCommand();
        new CommandLine(b).parseArgs("--trace", "synthetic", "--forecasters", "seasonal-naive, holt-winters", "--series", "a ,b");
        assertThat(b.forecasters).containsExactly("seasonal-naive", "holt-winters");
        assertThat(b.seriesFilter).containsExactly("a", "b");
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs("--trace", "synthetic", "--models", "gbt, prophet-style");
        assertThat(t.models).containsExactly("gbt", "prophet-style");
    }

    @Test
    void trainTrainsAtTheIntervalTheSimulatorForecastsAtUnlessToldOtherwise() {
        // the synthetic trace has 5-minute counts: its artifacts were 5-minute ones, which simulate --forecaster refuses
        // (the policies forecast on 10-minute counts); 14 days of 10-minute intervals are 2,016 per series
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs("--trace", "synthetic");
        TrainCommand.Plan p = t.plan(new java.io.PrintStream(buf, true));
        assertThat(p.interval()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(p.until()).hasSize(4).containsValue(2016).doesNotContainValue(4032);
        assertThat(buf.toString()).isEmpty();
        // --interval keeps its word: 7 days of 5-minute intervals are 2,016
        t = new TrainCommand();
        new CommandLine(t).parseArgs("--trace", "synthetic", "--interval", "5m", "--to", "7d");
        p = t.plan(new java.io.PrintStream(buf, true));
        assertThat(p.interval()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(p.until().values()).containsOnly(2016);
        assertThat(buf.toString()).isEmpty();
        // the rule: the simulator's interval when the trace's own adds up to it, else the trace's own (10m for request traces)
        java.time.Duration ten = java.time.Duration.ofMinutes(10);
        assertThat(TraceOptions.defaultInterval(java.time.Duration.ofMinutes(1), ten)).isEqualTo(ten);
        assertThat(TraceOptions.defaultInterval(null, ten)).isEqualTo(ten);
        assertThat(TraceOptions.defaultInterval(java.time.Duration.ofMinutes(15), ten)).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(TraceOptions.defaultInterval(java.time.Duration.ofMinutes(4), ten)).isEqualTo(java.time.Duration.ofMinutes(4));
        assertThat(TraceOptions.defaultInterval(java.time.Duration.ofMinutes(5), null)).isEqualTo(java.time.Duration.ofMinutes(5));
    }

    @Test
    void aBacktestWithAGivenArtifactReadsTheSeriesAtItsInterval(@TempDir Path out) throws Exception {
        // a 10-minute artifact (as train now writes for the 5-minute synthetic trace): the backtest read the series at
        // 5 minutes and refused it; one leaf tree, enough to be loaded and scored
        Path gbt = tenMinuteGbt(out);
        int rc = new CommandLine(new ForecastCommand()).execute("backtest", "--trace", "synthetic", "--gbt-artifact", gbt.toString(),
                "--forecasters", "gbt", "--series", "image-gen", "--horizon", "30m", "--score-window", "1d", "--out", out.resolve("bt").toString());
        assertThat(rc).isZero();
        assertThat(new ObjectMapper().readTree(out.resolve("bt/backtest.json").toFile()).get("interval").asText()).isEqualTo("PT10M");
    }

    @Test
    void showWithAGivenArtifactReadsTheSeriesAtItsInterval(@TempDir Path out) throws Exception {
        // the same 10-minute artifact on the 5-minute synthetic trace: show read the series at 5 minutes and refused it
        Path gbt = tenMinuteGbt(out);
        Path png = out.resolve("show.png");
        int rc = new CommandLine(new ForecastCommand()).execute("show", "--trace", "synthetic", "--model", "image-gen",
                "--forecaster", "gbt", "--artifact", gbt.toString(), "--horizon", "30m", "--days", "1d", "--out", png.toString());
        assertThat(rc).isZero();
        assertThat(png).isRegularFile();
    }

    /** A one-leaf gbt artifact trained at 10 minutes (as train writes for the 5-minute synthetic trace): enough to load and score. */
    private static Path tenMinuteGbt(Path dir) throws java.io.IOException {
        Path gbt = dir.resolve("gbt-10m.json");
        io.prescale.forecasting.artifact.Artifacts.write(gbt, new io.prescale.forecasting.artifact.GbtArtifact(
                io.prescale.forecasting.artifact.GbtArtifact.SCHEMA, "t", java.time.Instant.EPOCH, java.time.Duration.ofMinutes(10), 3,
                io.prescale.forecasting.models.GbtFeatures.VERSION, io.prescale.forecasting.models.GbtFeatures.NAMES,
                java.util.List.of(new io.prescale.forecasting.artifact.GbtArtifact.Tree(1, new int[]{-1}, new double[]{0}, new int[]{-1},
                        new int[]{-1}, new double[]{0})), java.util.Map.of(), java.util.Map.of()));
        return gbt;
    }

    @Test
    void trainSaysWhenToIsPastTheEndAsSimulateDoesAndRefusesOneBeforeTheStart() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs("--trace", "synthetic", "--to", "100d");
        TrainCommand.Plan p = t.plan(new java.io.PrintStream(buf, true));
        // trained on all 14 days, as without --to; said, not silent (the synthetic trace runs 2024-01-01 to 2024-01-15)
        assertThat(p.until().values()).containsOnly(2016);
        assertThat(buf.toString().strip()).isEqualTo("--to 100d is past the end of the trace: training uses all of it, up to 2024-01-15T00:00:00Z");
        TrainCommand before = new TrainCommand();
        new CommandLine(before).parseArgs("--trace", "synthetic", "--to", "2023-12-31T00:00:00Z");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> before.plan(new java.io.PrintStream(buf, true)))
                .isInstanceOf(io.prescale.core.config.ConfigException.class)
                .hasMessage("--to: 2023-12-31T00:00:00Z is at or before the start of the trace (2024-01-01T00:00:00Z): there is nothing before it to train on");
    }

    @Test
    void trainCountsAnOffsetFromWhereSimulateCountsItOnATraceOfCountsThatStartsOffMidnight(@TempDir Path out) throws Exception {
        // hourly counts from 1970-01-01T04:00Z for four days. simulate --from 3d starts at midnight + 3 days (an interval
        // trace's origin is the midnight before it); train --to 3d cut at 04:00 + 3 days, so the artifact saw the scored
        // window's first four hours and simulate refused it. Intervals that end by midnight + 3d: 72 - 4 = 68
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (int h = 4; h < 4 * 24; h++) csv.append(String.format("%d,3600,a,5%n", h * 3600));
        Path trace = Files.writeString(out.resolve("t.csv"), csv);
        TrainCommand t = new TrainCommand();
        new CommandLine(t).parseArgs("--trace", "counts-csv:" + trace, "--to", "3d", "--models", "prophet-style");
        TrainCommand.Plan p = t.plan(new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        assertThat(p.until()).containsEntry("a", 68);
        assertThat(TrainingCut.origin(p.series(), true)).isEqualTo(java.time.Instant.EPOCH);
    }

    @Test
    void trainRefusesAToThatLeavesTooLittleToLearnBeforeSparkStarts() {
        // --to 20h: was "only 0 training rows: the series are too short for gbt (need > 1 day each)" once Spark had started,
        // naming neither --to nor what it left; prophet-style alone wrote an artifact of no series
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        TrainCommand gbt = new TrainCommand();
        new CommandLine(gbt).parseArgs("--trace", "synthetic", "--to", "20h");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gbt.plan(new java.io.PrintStream(buf, true)))
                .isInstanceOf(io.prescale.core.config.ConfigException.class)
                .hasMessage("--to: no series has more than a day of data before --to 20h (the longest has 20h): gbt learns from a day of history before each forecast");
        TrainCommand prophet = new TrainCommand();
        new CommandLine(prophet).parseArgs("--trace", "synthetic", "--to", "36h", "--models", "prophet-style");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> prophet.plan(new java.io.PrintStream(buf, true)))
                .hasMessage("--to: no series has two days of data before --to 36h (the longest has 36h): prophet-style fits at least two days");
        // enough: a day and 20 minutes for gbt (its first origin at 24h, a target after it), two days for prophet-style
        TrainCommand ok = new TrainCommand();
        new CommandLine(ok).parseArgs("--trace", "synthetic", "--to", "2d");
        assertThat(ok.plan(new java.io.PrintStream(buf, true)).until().values()).containsOnly(288);
    }

    @Test
    void totalIsRefusedWhenTheTraceHasASeriesOfThatName(@TempDir Path out) throws Exception {
        // was two series named 'total' in backtest.json, the sum's chart written over the model's
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (int i = 0; i < 10; i++) csv.append(String.format("%d,3600,total,5%n%d,3600,other,3%n", i * 3600, i * 3600));
        Path trace = Files.writeString(out.resolve("t.csv"), csv);
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        int rc = cl.execute("backtest", "--trace", "counts-csv:" + trace, "--total", "--horizon", "1h", "--forecasters", "seasonal-naive",
                "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--total: counts-csv:" + trace + " has a series named 'total' already");
        assertThat(out.resolve("bt")).doesNotExist();
    }

    @Test
    void aTraceWhoseIntervalsDoNotDivideADayIsSaidSo(@TempDir Path out) throws Exception {
        // 7-minute counts: was "forecasting interval must divide one day evenly, got PT7M", as if --interval had been given
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (int i = 0; i < 10; i++) csv.append(String.format("%d,420,a,5%n", i * 420));
        Path trace = Files.writeString(out.resolve("t.csv"), csv);
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ForecastCommand());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> { c.getErr().println(e.getMessage()); return 2; });
        int rc = cl.execute("backtest", "--trace", "counts-csv:" + trace, "--forecasters", "seasonal-naive", "--out", out.resolve("bt").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--trace: counts-csv:" + trace + " has 7m intervals, which do not divide a day: ");
        rc = cl.execute("train", "--trace", "counts-csv:" + trace, "--out", out.resolve("m").toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).doesNotContain("got PT7M");
        assertThat(out.resolve("bt")).doesNotExist();
    }

    @Test
    void helpDescriptionsAreParagraphsPicocliWraps() {
        // each description string is a line of its own: a sentence split over several strings broke mid-line ("writes\nbacktest.json,")
        assertThat(new CommandLine(new BacktestCommand()).getCommandSpec().usageMessage().description()).hasSize(2);
        assertThat(new CommandLine(new TrainCommand()).getCommandSpec().usageMessage().description()).hasSize(2);
        assertThat(new CommandLine(new BacktestCommand()).getUsageMessage()).doesNotContainPattern("writes\\s*\\n\\s*backtest\\.json");
    }

    @Test
    void trainWritesWhereOutSaysFromTheWorkingFolderAndToTheProjectWithoutIt() {
        Path root = Path.of("/somewhere/prescale");
        assertThat(TrainCommand.artifactDir(Path.of("models"), root)).isEqualTo(Path.of("models")); // was /somewhere/prescale/models
        assertThat(TrainCommand.artifactDir(Path.of("/abs/m"), root)).isEqualTo(Path.of("/abs/m"));
        assertThat(TrainCommand.artifactDir(null, root)).isEqualTo(root.resolve("models"));
    }

    @Test
    void chartTitlesWriteDurationsAsTheFlagsDo() {
        assertThat(io.prescale.forecasting.spark.Charts.maseTitle(java.time.Duration.ofMinutes(30)))
                .isEqualTo("MASE vs seasonal naive (1 day), horizon 30m (capped at 3)"); // was "horizon PT30M"
        assertThat(BacktestCommand.bandTitle("m-large", "gbt", java.time.Duration.ofMinutes(10), 3))
                .isEqualTo("m-large: actual vs gbt at lead 30m (P50, band to P90)"); // was "at lead 3"
    }
}
