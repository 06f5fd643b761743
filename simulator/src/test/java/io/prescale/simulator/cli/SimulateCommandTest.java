package io.prescale.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prescale.simulator.report.TimeseriesCsv;
import io.prescale.simulator.CliRun;
import io.prescale.simulator.CliRun.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code prescale simulate} end to end through picocli on the built-in synthetic trace. */
class SimulateCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path runA;
    static Path runB;
    static int exitA;
    static int exitB;

    static Result simulate(String... args) {
        return CliRun.run(new SimulateCommand(), args);
    }

    @BeforeAll
    static void runTwice() {
        runA = tmp.resolve("a");
        runB = tmp.resolve("b");
        String[] common = {"--trace", "synthetic", "--to", "6h", "--rate-scale", "0.25", "--policies", "reactive.hpa,oracle", "--seed", "9"};
        Result a = simulate(concat(common, "--out", runA.toString()));
        Result b = simulate(concat(common, "--out", runB.toString()));
        assertThat(a.error()).as(a.output()).isNull();
        exitA = a.exit();
        exitB = b.exit();
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void exitsZeroAndWritesTheRunFolder() {
        assertThat(exitA).isZero();
        assertThat(exitB).isZero();
        for (String f : List.of("summary.json", "manifest.json", "timeseries.csv", "report.html",
                "demand-vs-capacity.png", "latency-cdf.png", "cost-vs-slo.png", "cold-starts.png")) {
            assertThat(runA.resolve(f)).as(f).isNotEmptyFile();
        }
    }

    @Test
    void summaryHasTheContractFields() throws Exception {
        JsonNode s = JSON.readTree(runA.resolve("summary.json").toFile());
        assertThat(s.path("schema").asText()).isEqualTo("prescale.summary/v1");
        JsonNode t = s.path("trace");
        for (String k : List.of("id", "sha256", "requests", "models", "start", "end")) assertThat(t.has(k)).as("trace." + k).isTrue();
        assertThat(t.path("id").asText()).isEqualTo("synthetic");
        assertThat(t.path("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(t.path("models").asInt()).isEqualTo(4);
        assertThat(s.path("seed").asLong()).isEqualTo(9);
        JsonNode results = s.path("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).path("policy").asText()).isEqualTo("reactive.hpa");
        assertThat(results.get(1).path("policy").asText()).isEqualTo("oracle");
        List<String> figures = List.of("requests", "served", "dropped", "timedOut", "sloAttainment", "latencyMs",
                "gpuHours", "costUsd", "coldStarts", "meanUtilization");
        for (JsonNode r : results) {
            assertThat(r.path("params").isObject()).isTrue();
            for (String k : figures) assertThat(r.has(k)).as(r.path("policy") + "." + k).isTrue();
            for (String q : List.of("p50", "p95", "p99")) assertThat(r.path("latencyMs").has(q)).isTrue();
            assertThat(r.has("wallSeconds")).isTrue();
            assertThat(r.has("simulatedRequestsPerSecond")).isTrue();
            assertThat(r.path("requests").asLong()).isEqualTo(t.path("requests").asLong());
            assertThat(r.path("requests").asLong()).isEqualTo(r.path("served").asLong() + r.path("dropped").asLong()
                    + r.path("timedOut").asLong() + r.path("inFlight").asLong());
            assertThat(r.path("models")).hasSize(4);
            for (JsonNode m : r.path("models")) {
                assertThat(m.has("model")).isTrue();
                for (String k : figures) assertThat(m.has(k)).as("models[]." + k).isTrue();
            }
        }
        assertThat(results.get(0).path("params").path("targetUtilization").asDouble()).isEqualTo(0.6);
    }

    @Test
    void timeseriesHasTheHeaderAndRowsForEveryPolicyAndModel() throws Exception {
        List<String> lines = Files.readAllLines(runA.resolve("timeseries.csv"));
        assertThat(lines.get(0)).isEqualTo(String.join(",", TimeseriesCsv.HEADER));
        assertThat(lines.get(0)).startsWith("interval_start,policy,model,arrivals,");
        assertThat(lines.stream().skip(1).filter(l -> l.contains(",reactive.hpa,"))).isNotEmpty();
        assertThat(lines.stream().skip(1).filter(l -> l.contains(",oracle,"))).isNotEmpty();
        assertThat(lines.stream().skip(1).map(l -> l.split(",")[2]).distinct()).hasSize(4);
    }

    @Test
    void reportShowsTheCharts() throws Exception {
        String html = Files.readString(runA.resolve("report.html"));
        assertThat(html).contains("demand-vs-capacity.png", "latency-cdf.png", "cost-vs-slo.png", "cold-starts.png", "reactive.hpa", "oracle");
        // and the run's settings: rate scale, seed, sharing and packer
        assertThat(html).contains("Rate scale 0.25, seed 9; GPU sharing as the catalog says, packer first-fit.");
        byte[] png = Files.readAllBytes(runA.resolve("latency-cdf.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void theSameSeedGivesTheSameSummaryApartFromWallClockFields() throws Exception {
        JsonNode a = stripWallClock(JSON.readTree(runA.resolve("summary.json").toFile()));
        JsonNode b = stripWallClock(JSON.readTree(runB.resolve("summary.json").toFile()));
        assertThat(b).isEqualTo(a);
        assertThat(Files.readString(runB.resolve("timeseries.csv"))).isEqualTo(Files.readString(runA.resolve("timeseries.csv")));
    }

    static JsonNode stripWallClock(JsonNode summary) {
        for (JsonNode r : summary.path("results")) ((ObjectNode) r).remove(List.of("wallSeconds", "simulatedRequestsPerSecond"));
        return summary;
    }

    @Test
    void aMalformedRowStopsTheRunNamingFileAndLine() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "timestamp,model\n2024-01-01T00:00:00Z,a\n2024-01-01T00:00:01Z,a\nnot-a-time,a\n");
        Result r = simulate("--trace", "requests-csv:" + csv, "--policies", "reactive.hpa", "--out", tmp.resolve("bad").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error()).isNotNull();
        assertThat(r.error().getMessage()).contains("bad.csv:4");
    }

    @Test
    void aRunIntoAnEarlierRunsFolderLeavesNoneOfItsRecommendations() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("again"));
        Files.writeString(dir.resolve("summary.json"), "{}");
        Files.writeString(dir.resolve("recommendations.json"), "{\"policy\": \"earlier\"}");
        Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "reactive.hpa", "--out", dir.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("--out " + dir + " holds an earlier run: its files are replaced");
        assertThat(dir.resolve("recommendations.json")).doesNotExist();
    }

    @Test
    void aToPastTheTraceEndIsSaid() throws Exception {
        Path csv = Files.writeString(tmp.resolve("two.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        Result r = simulate("--trace", "requests-csv:" + csv, "--to", "3h", "--policies", "reactive.hpa", "--out", tmp.resolve("past").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("--to 3h is past the end of the trace: the window ends with it, at 2024-01-01T00:10:00Z");
    }

    @Test
    void anUnknownPolicyListsTheKnownOnes() {
        Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "reactive.nope", "--out", tmp.resolve("nope").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).contains("reactive.nope", "reactive.hpa", "oracle", "keepalive.fixed");
        assertThat(tmp.resolve("nope").resolve("summary.json")).doesNotExist();
        // one typo away: the flag is named, the likely id suggested, and the trace is not read first
        r = simulate("--trace", "requests-csv:" + tmp.resolve("absent.csv"), "--policies", "reactive.hpx", "--out", tmp.resolve("nope").toString());
        assertThat(r.error().getMessage()).startsWith("--policies: unknown policy 'reactive.hpx', did you mean reactive.hpa? (known: ");
        r = simulate("--trace", "requests-csv:" + tmp.resolve("absent.csv"), "--packer", "fist-fit", "--out", tmp.resolve("nope").toString());
        assertThat(r.error().getMessage()).startsWith("--packer: unknown packer 'fist-fit'");
        r = simulate("--trace", "requests-csv:" + tmp.resolve("absent.csv"), "--sharing", "foo", "--out", tmp.resolve("nope").toString());
        assertThat(r.error().getMessage()).startsWith("--sharing: unknown sharing mode 'foo'");
        r = simulate("--trace", "requests-csv:" + tmp.resolve("absent.csv"), "--spot-market", "azure", "--out", tmp.resolve("nope").toString());
        assertThat(r.error().getMessage()).startsWith("--spot-market: unknown spot market 'azure' (aws-top-band, gcp-preemptible)");
    }

    @Test
    void aParamReachesANestedRecordOverItsDefaults() throws Exception {
        // predictive.budget's base is the headroom policy's params: one field set, the others keep their defaults
        Path out = tmp.resolve("nested");
        Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "predictive.budget",
                "-p", "predictive.budget.base.maxUtilization=0.8", "--out", out.toString());
        assertThat(r.error()).as(r.output()).isNull();
        assertThat(r.output()).contains("Simulating 1 policy on synthetic"); // was "1 policies"
        JsonNode base = JSON.readTree(out.resolve("summary.json").toFile()).get("results").get(0).get("params").get("base");
        assertThat(base.get("maxUtilization").asDouble()).isEqualTo(0.8);
        assertThat(base.get("anomalyHold").asText()).isEqualTo("3h");
        Result typo = simulate("--trace", "synthetic", "--to", "1h", "--policies", "predictive.budget",
                "-p", "predictive.budget.base.maxUtilisation=0.8", "--out", tmp.resolve("typo").toString());
        assertThat(typo.error()).isNotNull();
        assertThat(typo.error().getMessage()).contains("base.maxUtilisation", "unknown parameter");
    }

    @Test
    void argumentsThatWouldHangOrFailLateAreRefusedBeforeTheRun() throws Exception {
        // a 0 s report interval never advanced the clock; 1 ms over a day wrote gigabytes; a policy named twice
        // failed in the charts after the whole run; an output path under a file failed after it too
        String[][] cases = {
                {"--report-interval", "0s", "--report-interval: must be at least 1s"},
                {"--report-interval", "1s", "--report-interval: gives 1209600 rows"}, // the synthetic trace's 14 days, 1 s each
                {"--policies", "oracle,oracle", "--policies: names a policy twice"},
                {"--workers", "0", "--workers: must be >= 1"},
                {"--recommend", "oracle", "--recommend: 'oracle' is not among --policies"}};
        for (String[] c : cases) {
            String[] args = {"--trace", "synthetic", "--to", c[2].contains("rows") ? "1000h" : "1h", "--policies", "reactive.hpa", c[0], c[1],
                    "--out", tmp.resolve("late").toString()};
            if (c[0].equals("--policies")) args[5] = c[1];
            Result r = simulate(args);
            assertThat(r.exit()).as(String.join(" ", c)).isNotZero();
            assertThat(r.error().getMessage()).as(String.join(" ", c)).contains(c[2]);
        }
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "reactive.hpa", "--out", file.resolve("sub").toString());
        assertThat(r.error().getMessage()).isEqualTo("--out: cannot create " + file.resolve("sub") + ": " + file + " is a file, not a folder");
        assertThat(tmp.resolve("late").resolve("summary.json")).doesNotExist();
    }

    @Test
    void aBareNumberForATimeIsRefusedBeforeTheTraceIsRead() {
        // "--from 2" once started at the trace start + 2 s
        String[][] cases = {{"--from", "2"}, {"--to", "5"}, {"--warmup", "30"}, {"--report-interval", "60"}};
        for (String[] c : cases) {
            Result r = simulate("--trace", "synthetic", "--policies", "reactive.hpa", c[0], c[1], "--out", tmp.resolve("bare").toString());
            assertThat(r.exit()).as(c[0]).isNotZero();
            assertThat(r.error().getMessage()).isEqualTo(c[0] + ": '" + c[1] + "' has no unit: write " + c[1] + "s, " + c[1] + "m, " + c[1] + "h or " + c[1] + "d");
            assertThat(r.output()).as(c[0]).doesNotContain("Reading trace");
        }
    }

    @Test
    void anInfiniteRateScaleIsRefusedBeforeTheTraceIsRead() throws Exception {
        // --rate-scale Infinity passed "> 0": a request trace simulated 0 requests and exited 0 (a count trace never ended)
        Path csv = Files.writeString(tmp.resolve("inf.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        Result r = simulate("--trace", "requests-csv:" + csv, "--policies", "reactive.hpa", "--rate-scale", "Infinity", "--out", tmp.resolve("inf").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).isEqualTo("--rate-scale must be a finite number > 0, got Infinity");
        assertThat(r.output()).doesNotContain("Reading trace");
    }

    @Test
    void policyListItemsAreTrimmed() {
        SimulateCommand cmd = new SimulateCommand();
        new picocli.CommandLine(cmd).parseArgs("--policies", "reactive.hpa, oracle");
        assertThat(cmd.policies).containsExactly("reactive.hpa", "oracle");
    }

    @Test
    void aBadParamIsNamedAsTheFlagNamesIt() {
        Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "reactive.hpa", "-p", "reactive.hpa.targetUtilization=abc",
                "--out", tmp.resolve("badparam").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).isEqualTo("reactive.hpa.targetUtilization: 'abc' is not a number");
    }

    @Test
    void anEmptyWindowIsAClearError() {
        Result r = simulate("--trace", "synthetic", "--from", "2h", "--to", "1h", "--policies", "reactive.hpa", "--out", tmp.resolve("empty").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).contains("empty window");
    }

    @Test
    void anIntervalTraceIsScoredFromItsFirstRecordByDefault() throws Exception {
        // 10-minute counts from 02:30 to 06:00 (a live-history export): the origin is the midnight before, so that --from 1d
        // is a day boundary, but without --from the window is the trace's: 3.5 hours, one replica of one GPU held by
        // reactive.hpa's minimum, 3.5 GPU-hours (from the midnight it was 6.0: 2.5 hours billed before the first record)
        StringBuilder csv = new StringBuilder("interval_start,interval_s,model,count\n");
        for (java.time.Instant t = java.time.Instant.parse("2024-03-01T02:30:00Z"); t.isBefore(java.time.Instant.parse("2024-03-01T06:00:00Z")); t = t.plusSeconds(600))
            csv.append(t).append(",600,m,300\n");
        Path f = Files.writeString(tmp.resolve("late.csv"), csv);
        Path out = tmp.resolve("late");
        Result r = simulate("--trace", "counts-csv:" + f, "--policies", "reactive.hpa", "--out", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(s.at("/results/0/gpuHours").asDouble()).isEqualTo(3.5);
        assertThat(Files.readAllLines(out.resolve("timeseries.csv")).get(1)).contains("2024-03-01T02:30:00Z");
        // an empty window before it names the default, not the default run's day 1
        r = simulate("--trace", "counts-csv:" + f, "--to", "2h", "--policies", "reactive.hpa", "--out", tmp.resolve("early").toString());
        assertThat(r.error().getMessage()).startsWith("empty window: --from (default: the trace's first record) 2024-03-01T02:30:00Z");
    }

    @Test
    void aToBeforeTheDefaultRunsStartNamesThatDefault() {
        // the default run scores from day 1: "--to 1d" alone said "--from 1970-01-02... is not before --to ...", a --from nobody gave
        Path data = Path.of("..", "..", "shared", "datasets");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data.resolve("servegen-2025")), "no shared ServeGen trace");
        Result r = simulate("--data", data.toString(), "--to", "1d", "--policies", "reactive.hpa", "--out", tmp.resolve("default-to").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith("empty window: --from (default 1d on the default run) 1970-01-02T00:00:00Z is not before --to 1970-01-02T00:00:00Z");
    }

    @Test
    void aTraceOfOneInstantIsRefusedAndAOneSecondWindowRuns() throws Exception {
        // a request trace ends at its last request: one request (or a burst at one instant) left a window of no
        // length, billed 0 GPU-hours while its requests were served after it, at 100 % utilisation
        Path one = Files.writeString(tmp.resolve("one.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n");
        Result r = simulate("--trace", "requests-csv:" + one, "--policies", "reactive.hpa", "--out", tmp.resolve("one").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).startsWith("window under 1s: --from 2024-01-01T00:00:00Z to --to 2024-01-01T00:00:00Z")
                .endsWith("the trace's requests all arrive within a second: there is nothing to scale over");
        assertThat(tmp.resolve("one").resolve("summary.json")).doesNotExist();
        Path two = Files.writeString(tmp.resolve("two-10m.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        r = simulate("--trace", "requests-csv:" + two, "--from", "5m", "--to", "2024-01-01T00:05:00.5Z", "--policies", "reactive.hpa", "--out", tmp.resolve("half").toString());
        assertThat(r.error().getMessage()).startsWith("window under 1s: ").endsWith("; a run scores at least 1s");
        r = simulate("--trace", "requests-csv:" + two, "--from", "5m", "--to", "5m1s", "--policies", "reactive.hpa", "--out", tmp.resolve("second").toString());
        assertThat(r.exit()).as(r.output()).isZero();
        // a second between the trace's two requests holds none: run for its idle cost, and said
        assertThat(r.output()).contains("warning: the window 2024-01-01T00:05:00Z to 2024-01-01T00:05:01Z holds no requests of the trace");
    }

    @Test
    void aBadCatalogFieldIsNamed() throws Exception {
        Path cat = tmp.resolve("cat.yaml");
        Files.writeString(cat, """
                schema: prescale.catalog/v1
                defaults:
                  pool: l4-24gb
                  latency: {base: 40ms, perItem: 10ms}
                  slo: {latency: abc}
                """);
        Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "reactive.hpa", "--catalog", cat.toString(),
                "--out", tmp.resolve("cat").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).contains("defaults.slo.latency");
    }

    @Test
    void anExperimentNameThatIsNoFolderNameIsRefusedBeforeTheRun() {
        // the name is a folder under runs/: "../escaped" wrote the run beside runs/, not in it
        for (String name : List.of("../escaped", "a/b", ".hidden", "x".repeat(129))) {
            Result r = simulate("--trace", "synthetic", "--to", "1h", "--policies", "reactive.hpa", "--experiment", name);
            assertThat(r.error()).as(name).isInstanceOf(io.prescale.core.config.ConfigException.class)
                    .hasMessageStartingWith("--experiment: use letters, digits");
        }
    }

    @Test
    void aRateScaleThatLeavesTheWindowNoRequestIsRefusedBeforeTheRun() throws Exception {
        // --rate-scale 1e-300 simulated 0 requests, printed 100 % SLO for every policy and exited 0
        Path csv = Files.writeString(tmp.resolve("tiny-scale.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        Path out = tmp.resolve("tiny-scale");
        Result r = simulate("--trace", "requests-csv:" + csv, "--policies", "reactive.hpa", "--rate-scale", "1e-300", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        // 2 requests x 1e-300 = 2e-300 expected; one on average takes 1/2
        assertThat(r.error().getMessage()).startsWith("--rate-scale: the scaled window holds no requests: rate scale 1e-300 keeps an expected 2e-300 "
                + "of the window's 2 requests").contains("a rate scale of at least 0.5 keeps one on average");
        assertThat(out).doesNotExist();
    }

    @Test
    void aRunWhoseThinnedWindowHeldNoRequestExitsTwoAndOneThatHeldSomeExitsZero() throws Exception {
        // 2 requests at rate scale 0.5: 1 expected, so the run goes ahead; each request survives with probability 0.5, so
        // a seed leaves none a quarter of the time. Whatever the thinning draws, the run exits 2 exactly when it saw none.
        Path csv = Files.writeString(tmp.resolve("thinned.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        int empty = 0, some = 0;
        for (int seed = 1; seed <= 16 && (empty == 0 || some == 0); seed++) {
            Path out = tmp.resolve("thinned-" + seed);
            Result r = simulate("--trace", "requests-csv:" + csv, "--policies", "reactive.hpa", "--rate-scale", "0.5", "--seed", Integer.toString(seed),
                    "--out", out.toString());
            long requests = JSON.readTree(out.resolve("summary.json").toFile()).path("trace").path("requests").asLong();
            if (requests == 0) {
                empty++;
                assertThat(r.exit()).as("seed " + seed).isEqualTo(2);
                assertThat(r.error().getMessage()).isEqualTo("--rate-scale: the scaled window held no requests: rate scale 0.5 kept none of the "
                        + "window's 2 requests (2024-01-01T00:00:00Z to 2024-01-01T00:10:00Z; 1 expected), so its figures score nothing; "
                        + "raise the rate scale (the run folder is kept: " + out + ")");
            } else {
                some++;
                assertThat(r.exit()).as("seed " + seed + ": " + r.output()).isZero();
            }
        }
        assertThat(empty).as("a seed that thinned both requests away").isPositive();
        assertThat(some).as("a seed that kept one").isPositive();
    }

    @Test
    void aMistypedParamIsNamedBeforeTheTraceIsRead() {
        // -p was checked after reading the trace: seconds on a large one, and here the trace does not even exist
        Result r = simulate("--trace", "requests-csv:" + tmp.resolve("absent.csv"), "--policies", "reactive.hpa",
                "-p", "reactive.hpa.targetUtilisation=0.5", "--out", tmp.resolve("typo-p").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith("reactive.hpa.targetUtilisation: unknown parameter of reactive.hpa, did you mean targetUtilization?");
        assertThat(r.output()).doesNotContain("Reading trace");
        r = simulate("--trace", "requests-csv:" + tmp.resolve("absent.csv"), "--workers", "0", "--out", tmp.resolve("typo-p").toString());
        assertThat(r.error().getMessage()).isEqualTo("--workers: must be >= 1");
    }

    @Test
    void aRunFolderThatCannotBeMadeSaysWhy() {
        // an AccessDeniedException's message is its path alone: "--out: cannot create /proc/x: /proc/x"
        assertThat(SimulateCommand.why(new java.nio.file.AccessDeniedException("/proc/x"))).isEqualTo("permission denied");
        assertThat(SimulateCommand.why(new java.nio.file.FileSystemException("/x", null, "Read-only file system"))).isEqualTo("Read-only file system");
        assertThat(SimulateCommand.why(new java.nio.file.FileSystemException("/x"))).isEqualTo("file system");
    }
}
