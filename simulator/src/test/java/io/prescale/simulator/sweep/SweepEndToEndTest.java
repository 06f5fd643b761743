package io.prescale.simulator.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.cli.SweepCommand;
import io.prescale.simulator.CliRun;
import io.prescale.simulator.CliRun.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prescale sweep} through picocli on six hours of the built-in synthetic trace. The winner is known
 * by construction: HPA with minReplicas 3 keeps at least three replicas of every model where minReplicas 1
 * keeps one, so it can only add GPU-hours at this light load; both meet the SLO. The oracle matches the
 * cheaper one but needs the future, so it must not win.
 */
class SweepEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path spec;
    static Result one;
    static Result two;
    static Result spark;

    static final String TINY = """
            schema: prescale.experiment/v1
            name: tiny
            objective: {minimize: gpuHours, sloTarget: 0.99}
            trace: synthetic
            to: 6h
            rateScale: 0.25
            seed: 9
            policies:
              - {id: reactive.hpa, params: {minReplicas: [3, 1]}}
              - oracle
            """;

    static Result sweep(String... args) {
        return CliRun.run(new SweepCommand(), args);
    }

    @BeforeAll
    static void runWithOneAndTwoWorkers() throws Exception {
        spec = tmp.resolve("tiny.yaml");
        Files.writeString(spec, TINY);
        one = sweep("--spec", spec.toString(), "--workers", "1", "--out", tmp.resolve("w1").toString());
        two = sweep("--spec", spec.toString(), "--workers", "2", "--out", tmp.resolve("w2").toString());
        spark = sweep("--spec", spec.toString(), "--master", "local[2]", "--out", tmp.resolve("spark").toString());
        assertThat(one.error()).as(one.output()).isNull();
        assertThat(two.error()).as(two.output()).isNull();
        assertThat(spark.error()).as(spark.output()).isNull();
    }

    @Test
    void theCheaperConfigurationWinsAndTheOracleCannot() throws Exception {
        assertThat(one.exit()).as(one.output()).isZero();
        JsonNode s = JSON.readTree(tmp.resolve("w1/sweep.json").toFile());
        assertThat(s.path("winner").path("arm").asText()).isEqualTo("reactive.hpa{minReplicas=1}");
        JsonNode r = s.path("results");
        assertThat(r).hasSize(3);
        assertThat(r.get(0).path("scenario").asText()).isEqualTo("reactive.hpa{minReplicas=3}");
        // the premise of the construction: the extra replicas only cost, and everything meets the SLO
        assertThat(r.get(0).path("gpuHours").asDouble()).isGreaterThan(r.get(1).path("gpuHours").asDouble());
        for (JsonNode x : r) assertThat(x.path("sloAttainment").asDouble()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.get(2).path("policy").asText()).isEqualTo("oracle");
        assertThat(r.get(2).path("canWin").asBoolean()).isFalse();
        assertThat(r.get(2).path("gpuHours").asDouble()).isLessThanOrEqualTo(r.get(1).path("gpuHours").asDouble());
        assertThat(r.get(1).path("winner").asBoolean()).isTrue();
        assertThat(one.output()).contains("Winner: reactive.hpa{minReplicas=1}", "runner-up reactive.hpa{minReplicas=3}");
    }

    @Test
    void eachPolicyAtItsBestPerContext() throws Exception {
        JsonNode b = JSON.readTree(tmp.resolve("w1/sweep.json").toFile()).path("bestPerContext");
        assertThat(b).hasSize(1);
        assertThat(b.get(0).path("label").asText()).isEmpty(); // one context: no axes to name
        JsonNode best = b.get(0).path("best");
        // the cheaper HPA configuration stands for HPA; the oracle is listed but marked as needing the future
        JsonNode hpa = null, oracle = null;
        for (JsonNode x : best) {
            if (x.path("policy").asText().equals("reactive.hpa")) hpa = x;
            if (x.path("policy").asText().equals("oracle")) oracle = x;
        }
        assertThat(hpa).isNotNull();
        assertThat(hpa.path("scenario").asText()).isEqualTo("reactive.hpa{minReplicas=1}");
        assertThat(hpa.path("percentOverBestDeployable").asDouble()).isZero();
        assertThat(oracle.path("needsFuture").asBoolean()).isTrue();
        assertThat(oracle.path("gpuHours").asDouble()).isLessThanOrEqualTo(hpa.path("gpuHours").asDouble());
        assertThat(b.get(0).path("missed")).isEmpty();
        assertThat(one.output()).contains("Each policy at its best per context");
        assertThat(Files.readString(tmp.resolve("w1/report.html"))).contains("Each policy at its best per context");
    }

    @Test
    void winnerYamlRoundTripsThroughThePolicyFileAndTheCatalog() {
        PolicyFile f = PolicyFile.read(tmp.resolve("w1/winner.yaml"));
        assertThat(f.schema()).isEqualTo(PolicyFile.SCHEMA);
        assertThat(f.name()).isEqualTo("tiny");
        assertThat(f.policy()).isEqualTo("reactive.hpa");
        assertThat(f.params()).isEqualTo(PolicyCatalog.defaultsMerged("reactive.hpa", Map.of("minReplicas", 1)));
        assertThat(f.objective()).startsWith("least GPU-hours with SLO attainment >= 99 %");
        PolicyContext ctx = new PolicyContext(InstantSource.fixed(Instant.EPOCH), new SplittableRandom(1), Forecaster.none(),
                new CostModel(Map.of(), 0), Optional.empty());
        Policy p = PolicyCatalog.create(f.policy(), f.params(), ctx);
        assertThat(p.id()).isEqualTo("reactive.hpa");
    }

    @Test
    void sweepJsonUsesSummaryFieldNames() throws Exception {
        JsonNode r = JSON.readTree(tmp.resolve("w1/sweep.json").toFile()).path("results").get(1);
        for (String k : List.of("scenario", "policy", "params", "requests", "served", "dropped", "timedOut", "sloAttainment",
                "latencyMs", "gpuHours", "costUsd", "coldStarts", "meanUtilization", "invariants", "pareto"))
            assertThat(r.has(k)).as(k).isTrue();
        assertThat(r.path("params").path("minReplicas").asInt()).isEqualTo(1);
        assertThat(r.path("params").path("targetUtilization").asDouble()).isEqualTo(0.6); // defaults merged in
    }

    @Test
    void theRunFolderHasTheReportAndTheChart() throws Exception {
        Path d = tmp.resolve("w1");
        for (String f : List.of("sweep.json", "pareto.png", "bests.png", "cold-starts.png", "report.html", "winner.yaml", "manifest.json", "experiment.yaml"))
            assertThat(d.resolve(f)).as(f).isNotEmptyFile();
        assertThat(Files.readAllBytes(d.resolve("pareto.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readAllBytes(d.resolve("bests.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readAllBytes(d.resolve("cold-starts.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readString(d.resolve("report.html"))).contains("pareto.png", "bests.png", "cold-starts.png", "reactive.hpa{minReplicas=1}", "winner.yaml");
    }

    @Test
    void progressShowsWithinARunningScenario() {
        // one worker, three scenarios of six hourly report rows: the sweep is a tenth of the way two rows into the first
        // (2/6 / 3 = 11.1 %), before any has finished; it was silent until "[1/3]"
        String out = one.output();
        assertThat(out).contains("  swept  11.1% of 3 scenarios (0 done, 1 running) | ETA ");
        assertThat(out.indexOf("(0 done, 1 running)")).isLessThan(out.indexOf("[1/3] "));
        assertThat(out).contains("  swept 100.0% of 3 scenarios (2 done, 1 running) | ETA 0s");
    }

    @Test
    void resultsDoNotDependOnTheNumberOfWorkers() throws Exception {
        assertThat(two.exit()).isZero();
        assertThat(strip(JSON.readTree(tmp.resolve("w2/sweep.json").toFile())))
                .isEqualTo(strip(JSON.readTree(tmp.resolve("w1/sweep.json").toFile())));
    }

    @Test
    void sparkTasksGiveTheSameResultsAsLocalThreads() throws Exception {
        assertThat(spark.exit()).as(spark.output()).isZero();
        assertThat(spark.output()).contains("on Spark local[2]", "Winner: reactive.hpa{minReplicas=1}");
        // progress names each scenario as it finishes (it said "[1/3] scenarios done on Spark"), in whatever order they
        // do; the figures follow once all are back, not counted [1/3] .. [3/3] a second time
        assertThat(spark.output()).containsPattern("\\[1/3\\] \\S.* done on Spark").containsPattern("\\[3/3\\] \\S.* done on Spark");
        for (String label : List.of("reactive.hpa{minReplicas=3}", "reactive.hpa{minReplicas=1}", "oracle"))
            assertThat(spark.output()).contains("] " + label + " done on Spark", "\n  " + label + ": SLO ");
        assertThat(spark.output()).doesNotContain("scenarios done on Spark");
        JsonNode s = JSON.readTree(tmp.resolve("spark/sweep.json").toFile());
        assertThat(s.path("workers").asInt()).isEqualTo(2);
        assertThat(strip(s)).isEqualTo(strip(JSON.readTree(tmp.resolve("w1/sweep.json").toFile())));
        assertThat(JSON.readTree(tmp.resolve("spark/manifest.json").toFile()).path("versions").path("executor").asText())
                .isEqualTo("Spark local[2]");
        assertThat(tmp.resolve("spark/winner.yaml")).hasSameTextualContentAs(tmp.resolve("w1/winner.yaml"));
    }

    static JsonNode strip(JsonNode sweep) {
        ((ObjectNode) sweep).remove(List.of("wallSeconds", "workers"));
        for (JsonNode r : sweep.path("results")) ((ObjectNode) r).remove(List.of("wallSeconds", "simulatedRequestsPerSecond"));
        return sweep;
    }

    @Test
    void noWinnerWhenOnlyFutureKnowingPoliciesRun() throws Exception {
        Path s = tmp.resolve("oracle-only.yaml");
        Files.writeString(s, TINY.replace("  - {id: reactive.hpa, params: {minReplicas: [3, 1]}}\n", "").replace("name: tiny", "name: oracle-only"));
        Result r = sweep("--spec", s.toString(), "--out", tmp.resolve("none").toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(4);
        assertThat(r.output()).contains("No winner", "needs the future");
        assertThat(tmp.resolve("none/winner.yaml")).doesNotExist();
        assertThat(JSON.readTree(tmp.resolve("none/sweep.json").toFile()).path("winner").isNull()).isTrue();
    }

    @Test
    void aConfigurationThatTicksFasterThanTheLiveRunnerCannotWin() throws Exception {
        // the simulator runs a 500 ms sync period; the live runner refuses it (it ticks at most once a second), so as a
        // winner.yaml it was refused by serve --policy: "params.syncPeriod: the policy would tick every 0.5s"
        Path s = Files.writeString(tmp.resolve("fast.yaml"), TINY.replace("name: tiny", "name: fast")
                .replace("params: {minReplicas: [3, 1]}", "params: {syncPeriod: 500ms}"));
        Result r = sweep("--spec", s.toString(), "--workers", "1", "--out", tmp.resolve("fast").toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(4);
        assertThat(r.output()).contains("No winner: no configuration can win: none can run live (reactive.hpa{syncPeriod=500ms}: ticks every 0.5s, "
                + "faster than the live runner's once every 1s; oracle: needs the future)");
        // a point on the chart, not on the frontier of the live-runnable policies (it was: "PL")
        assertThat(r.output()).containsPattern("reactive\\.hpa\\{syncPeriod=500ms\\} +L ");
        assertThat(tmp.resolve("fast/winner.yaml")).doesNotExist();
        JsonNode first = JSON.readTree(tmp.resolve("fast/sweep.json").toFile()).path("results").get(0);
        assertThat(first.path("scenario").asText()).isEqualTo("reactive.hpa{syncPeriod=500ms}");
        assertThat(first.path("canWin").asBoolean()).isFalse();
        assertThat(first.path("pareto").asBoolean()).isFalse();
        // nor is it the best deployable configuration its context's percentages are measured against (it was, at +0.0 %)
        JsonNode hpa = null;
        for (JsonNode x : JSON.readTree(tmp.resolve("fast/sweep.json").toFile()).path("bestPerContext").get(0).path("best"))
            if (x.path("policy").asText().equals("reactive.hpa")) hpa = x;
        assertThat(hpa.path("scenario").asText()).isEqualTo("reactive.hpa{syncPeriod=500ms}");
        assertThat(hpa.path("runsLive").asBoolean()).isFalse();
        assertThat(hpa.path("percentOverBestDeployable").isNull()).isTrue();
        assertThat(r.output()).contains("cannot run live: ticks every 0.5s");
    }

    @Test
    void theConsolidationAxisReachesTheCluster() throws Exception {
        // twelve hours at 2x: the oracle scales each model up and down, leaving half-used shared GPUs to drain
        Path s = tmp.resolve("consolidate.yaml");
        Files.writeString(s, TINY.replace("name: tiny", "name: consolidate\nsharing: mps\nconsolidate: [false, true]")
                .replace("to: 6h", "to: 12h").replace("rateScale: 0.25", "rateScale: 2")
                .replace("  - {id: reactive.hpa, params: {minReplicas: [3, 1]}}\n", ""));
        Result r = sweep("--spec", s.toString(), "--workers", "2", "--out", tmp.resolve("cons").toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(4); // only the oracle ran: no winner
        JsonNode sweep = JSON.readTree(tmp.resolve("cons/sweep.json").toFile());
        assertThat(sweep.path("contexts")).extracting(c -> c.path("consolidate").asBoolean()).containsExactly(false, true);
        JsonNode off = sweep.path("results").get(0), on = sweep.path("results").get(1);
        assertThat(off.path("scenario").asText()).isEqualTo("oracle [consolidate=false]");
        assertThat(on.path("scenario").asText()).isEqualTo("oracle [consolidate=true]");
        assertThat(off.path("scheduling").path("consolidationMigrations").asLong()).isZero();
        assertThat(on.path("scheduling").path("consolidationMigrations").asLong()).isPositive();
        assertThat(on.path("gpuHours").asDouble()).isLessThan(off.path("gpuHours").asDouble()); // drained GPUs are released
        assertThat(sweep.path("bestPerContext")).extracting(c -> c.path("label").asText())
                .containsExactly("[consolidate=false]", "[consolidate=true]");
    }

    @Test
    void workersAndASparkMasterAreNotBothAccepted() {
        Result r = sweep("--spec", spec.toString(), "--master", "local[2]", "--workers", "2", "--out", tmp.resolve("both").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).contains("--workers", "--master", "not both");
    }

    @Test
    void aBadWindowNamesTheSpecField() throws Exception {
        Path s = tmp.resolve("bad-window.yaml");
        Files.writeString(s, TINY.replace("to: 6h", "from: 6h\nto: 2h"));
        Result r = sweep("--spec", s.toString(), "--out", tmp.resolve("bw").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).startsWith(s + ": from: ").contains("empty window");
    }

    @Test
    void aWindowUnderASecondNamesTheSpecField() throws Exception {
        Path s = tmp.resolve("short-window.yaml");
        Files.writeString(s, TINY.replace("to: 6h", "from: 2024-01-01T01:00:00Z\nto: 2024-01-01T01:00:00.5Z"));
        Result r = sweep("--spec", s.toString(), "--out", tmp.resolve("sw").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.error().getMessage()).startsWith(s + ": from: window under 1s: 2024-01-01T01:00:00Z to 2024-01-01T01:00:00.500Z");
    }

    @Test
    void aTraceNameTheExperimentMisspellsNamesTheSpecFile() throws Exception {
        Path s = Files.writeString(tmp.resolve("bad-trace.yaml"), TINY.replace("trace: synthetic", "trace: synthetc"));
        Result r = sweep("--spec", s.toString(), "--workers", "1", "--out", tmp.resolve("bt").toString());
        assertThat(r.exit()).isEqualTo(2);
        // was "trace: unknown trace ...": which file's trace?
        assertThat(r.error().getMessage()).startsWith(s + ": trace: unknown trace 'synthetc'");
    }

    @Test
    void aPolicyListedTwiceNamesTheSpecFile() throws Exception {
        Path s = Files.writeString(tmp.resolve("dup.yaml"), TINY.replace("  - oracle\n", "  - oracle\n  - oracle\n"));
        Result r = sweep("--spec", s.toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        // was "policies[2]: duplicate scenario oracle ...": which file's policies?
        assertThat(r.error().getMessage()).isEqualTo(s + ": policies[2]: duplicate scenario oracle (also from policies[1])");
    }

    @Test
    void anOutUnderAFileIsRefusedBeforeAnyScenarioRuns() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Result r = sweep("--spec", spec.toString(), "--workers", "1", "--out", file.resolve("sub").toString());
        assertThat(r.exit()).isEqualTo(2);
        // was "cannot create ...: something else is in the way" after every scenario had run
        assertThat(r.error().getMessage()).isEqualTo("--out: cannot create " + file.resolve("sub") + ": " + file + " is a file, not a folder");
        assertThat(r.output()).doesNotContain("[1/3]");
    }

    @Test
    void aRunIntoAnEarlierRunsFolderThatFailsToWriteLeavesNoWinnerOfTheEarlierRun() throws Exception {
        // the earlier run's winner.yaml stayed beside this run's sweep.json when a later file could not be written
        Path dir = Files.createDirectories(tmp.resolve("rerun"));
        Files.writeString(dir.resolve("winner.yaml"), "schema: prescale.policy/v1\nname: earlier\npolicy: reactive.hpa\n");
        Files.createDirectories(dir.resolve("report.html")); // something report.html cannot be written over
        Result r = sweep("--spec", spec.toString(), "--workers", "1", "--out", dir.toString());
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(dir.resolve("sweep.json")).exists();
        assertThat(dir.resolve("winner.yaml")).doesNotExist();
    }

    @Test
    void conflictingFlagsLeaveNoRunFolder() {
        Path dir = tmp.resolve("both");
        Result r = sweep("--spec", spec.toString(), "--workers", "1", "--master", "local[2]", "--out", dir.toString());
        assertThat(r.error().getMessage()).contains("not both");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aForecasterArtifactTrainedPastTheWindowsStartIsRefusedAndNoRunFolderLeft() throws Exception {
        // the synthetic trace starts 2024-01-01T00:00Z and TINY scores from there; this artifact saw a day of it
        Path artifact = tmp.resolve("gbt-leaky.json");
        io.prescale.forecasting.artifact.Artifacts.write(artifact, new io.prescale.forecasting.artifact.GbtArtifact(
                io.prescale.forecasting.artifact.GbtArtifact.SCHEMA, "test", java.time.Instant.EPOCH, java.time.Duration.ofMinutes(10), 6,
                io.prescale.forecasting.models.GbtFeatures.VERSION, io.prescale.forecasting.models.GbtFeatures.NAMES,
                List.of(new io.prescale.forecasting.artifact.GbtArtifact.Tree(1, new int[]{-1}, new double[]{0}, new int[]{-1}, new int[]{-1}, new double[]{0.1})),
                java.util.Map.of("m", java.time.Instant.parse("2024-01-02T00:00:00Z")), java.util.Map.of()));
        Path dir = tmp.resolve("leaky");
        Result r = sweep("--spec", spec.toString(), "--workers", "1", "--forecaster", "gbt:artifact=" + artifact, "--out", dir.toString());
        assertThat(r.error().getMessage()).contains("--forecaster").contains("trained on data up to 2024-01-02T00:00:00Z");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aTraceTheExperimentNamesThatIsMissingLeavesNoRunFolder() throws Exception {
        Path missing = Files.writeString(tmp.resolve("missing-trace.yaml"), TINY.replace("trace: synthetic", "trace: requests-csv:nope.csv"));
        Path dir = tmp.resolve("missing");
        Result r = sweep("--spec", missing.toString(), "--workers", "1", "--out", dir.toString());
        assertThat(r.error().getMessage()).contains("nope.csv: trace file not found");
        assertThat(dir).doesNotExist();
    }
}
