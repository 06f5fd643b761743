package io.prescale.simulator.sweep;

import io.prescale.simulator.CliRun;
import io.prescale.simulator.CliRun.Result;
import io.prescale.simulator.cli.SweepCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code prescale sweep --dry-run} refuses (what the run would refuse: it once only expanded the experiment, so a
 * missing trace or a broken catalog passed it), and a sweep whose scaled windows hold no requests.
 */
class SweepChecksTest {
    @TempDir
    Path tmp;

    static final String SPEC = """
            schema: prescale.experiment/v1
            name: checks
            objective: {minimize: gpuHours, sloTarget: 0.99}
            trace: TRACE
            to: 1h
            rateScale: SCALE
            seed: 9
            policies:
              - oracle
            """;

    private Path spec(String trace, String scale, String extra) throws Exception {
        return Files.writeString(tmp.resolve("spec-" + Math.abs((trace + scale + extra).hashCode()) + ".yaml"),
                SPEC.replace("TRACE", trace).replace("SCALE", scale) + extra);
    }

    private static Result sweep(String... args) {
        return CliRun.run(new SweepCommand(), args);
    }

    @Test
    void aDryRunOfAGoodExperimentSaysWhatItCheckedAndWritesNothing() throws Exception {
        Path s = spec("synthetic", "0.25", "");
        Path out = tmp.resolve("out");
        Result r = sweep("--spec", s.toString(), "--dry-run", "--out", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("checks: 1 scenario in 1 context (traces, catalogs and windows checked)", "  oracle");
        assertThat(out).doesNotExist();
    }

    @Test
    void aDryRunSaysWhenTheScenariosTogetherMakeALongRun() throws Exception {
        // one hour of 545 M requests at scale 1, x 2 scenarios: 1,090 M to simulate, over the 1,000 M the note starts at
        Path csv = Files.writeString(tmp.resolve("big.csv"), "interval_start,interval_s,model,count\n2024-01-01T00:00:00Z,3600,chat,545000000\n");
        Path s = Files.writeString(tmp.resolve("big.yaml"), SPEC.replace("TRACE", "counts-csv:" + csv).replace("SCALE", "1")
                .replace("  - oracle\n", "  - oracle\n  - reactive.hpa\n"));
        Result r = sweep("--spec", s.toString(), "--dry-run");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("note: the 2 scenarios simulate about 1090 M requests in all");
        // at scale 0.5 the two make 545 M: nothing said
        Path half = Files.writeString(tmp.resolve("half.yaml"), Files.readString(s).replace("rateScale: 1", "rateScale: 0.5"));
        assertThat(sweep("--spec", half.toString(), "--dry-run").output()).doesNotContain("long run");
    }

    @Test
    void aDryRunRefusesAMissingTraceFileNamingTheSpecAndField() throws Exception {
        Path s = spec("requests-csv:nope.csv", "1", "");
        Result r = sweep("--spec", s.toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith(s + ": trace: ").contains("nope.csv: trace file not found");
    }

    @Test
    void aDryRunRefusesATraceThatDoesNotParseNamingTheLine() throws Exception {
        Files.writeString(tmp.resolve("bad.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\nnot-a-time,chat\n");
        Result r = sweep("--spec", spec("requests-csv:bad.csv", "1", "").toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).contains("bad.csv:3");
    }

    @Test
    void aDryRunRefusesACatalogWithAnErrorNamingItsField() throws Exception {
        Files.writeString(tmp.resolve("cat.yaml"), """
                schema: prescale.catalog/v1
                defaults:
                  pool: l4-24gb
                  latency: {base: 40ms, perItem: 10ms}
                  slo: {latency: abc}
                """);
        Path s = spec("synthetic", "0.25", "catalog: cat.yaml\n");
        Result r = sweep("--spec", s.toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith(s + ": catalog (" + tmp.resolve("cat.yaml")).contains("defaults.slo.latency");
    }

    @Test
    void aDryRunRefusesAWindowPastTheTraceAndAScaleThatLeavesItEmpty() throws Exception {
        Path late = spec("synthetic", "0.25", "from: 20d\n").toAbsolutePath();
        Files.writeString(late, Files.readString(late).replace("to: 1h\n", ""));
        Result r = sweep("--spec", late.toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith(late + ": from: empty window: 2024-01-21T00:00:00Z is at or past the end of the trace");
        Path tiny = spec("synthetic", "1e-300", "");
        r = sweep("--spec", tiny.toString(), "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith(tiny + ": rateScale: the scaled window holds no requests: rate scale 1e-300 keeps an expected ");
    }

    @Test
    void aWindowEndPastTheTraceIsSaidAsSimulateSaysIt() throws Exception {
        // the sweep cut it to the trace's end without a word; the synthetic trace is 14 days from 2024-01-01
        Path s = spec("synthetic", "0.25", "");
        Files.writeString(s, Files.readString(s).replace("to: 1h", "windows:\n  - {from: 13d, to: 20d}"));
        Result r = sweep("--spec", s.toString(), "--dry-run");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("windows[0].to: 20d is past the end of the trace: the window ends with it, at 2024-01-15T00:00:00Z");
    }

    @Test
    void aDryRunRefusesTheFlagsTheRunWould() throws Exception {
        Path s = spec("synthetic", "0.25", "");
        Result r = sweep("--spec", s.toString(), "--dry-run", "--workers", "0");
        assertThat(r.error().getMessage()).isEqualTo("--workers: must be >= 1"); // as simulate says it
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        r = sweep("--spec", s.toString(), "--dry-run", "--out", file.resolve("sub").toString());
        assertThat(r.error().getMessage()).isEqualTo("--out: cannot create " + file.resolve("sub") + ": " + file + " is a file, not a folder");
    }

    @Test
    void aSweepWhoseThinnedWindowHeldNoRequestNamesItPicksNoWinnerAndExitsTwo() throws Exception {
        // two requests at rate scale 0.5: 1 expected, so the sweep runs; over 16 seeds each request survives with probability
        // 0.5, so some seed keeps neither (all 16 keep one: 0.75^16, 1 %; the seeds are fixed, so this is decided once)
        Files.writeString(tmp.resolve("two.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        Path s = spec("requests-csv:two.csv", "0.5", "").toAbsolutePath();
        Files.writeString(s, Files.readString(s).replace("to: 1h\n", "").replace("seed: 9", "seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]"));
        Path out = tmp.resolve("thinned");
        Result r = sweep("--spec", s.toString(), "--workers", "1", "--out", out.toString());
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.error().getMessage()).startsWith(s + ": rateScale: scenario oracle [seed=")
                .contains("the scaled window held no requests: rate scale 0.5 kept none of the window's 2 requests")
                .endsWith("(the run folder is kept, without winner.yaml: " + out + ")");
        assertThat(r.output()).contains("No winner: ").contains("held no requests in the scaled window (oracle [seed=");
        assertThat(out.resolve("sweep.json")).exists();
        assertThat(out.resolve("winner.yaml")).doesNotExist();
    }

    @Test
    void theRunFoldersCopyOfTheExperimentRunsAsIsFromThere() throws Exception {
        // the experiment names its trace and catalog relative to its own folder; the run folder is elsewhere, so a plain
        // copy named exp/data/two.csv and exp/cat.yaml as runs/r1/data/two.csv and runs/r1/cat.yaml: not found
        Path exp = Files.createDirectories(tmp.resolve("exp/data"));
        Files.writeString(exp.resolve("two.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n2024-01-01T00:10:00Z,chat\n");
        Files.writeString(tmp.resolve("exp/cat.yaml"), """
                schema: prescale.catalog/v1
                defaults:
                  pool: l4-24gb
                  gpuMemory: 12GB
                  latency: {base: 40ms, perItem: 10ms}
                  slo: {latency: 500ms}
                """);
        Path s = Files.writeString(tmp.resolve("exp/e.yaml"), SPEC.replace("TRACE", "requests-csv:data/two.csv").replace("SCALE", "1")
                .replace("to: 1h\n", "") + "catalog: [cat.yaml]\n");
        Path out = tmp.resolve("runs/r1");
        Result r = sweep("--spec", s.toString(), "--workers", "1", "--out", out.toString());
        assertThat(r.exit()).as(r.output() + r.error()).isEqualTo(4); // only the oracle: no winner, the run folder written
        String copy = Files.readString(out.resolve("experiment.yaml"));
        assertThat(copy).contains("requests-csv:../../exp/data/two.csv", "../../exp/cat.yaml").doesNotContain(tmp.toString());
        Result again = sweep("--spec", out.resolve("experiment.yaml").toString(), "--dry-run");
        assertThat(again.exit()).as(again.output() + again.error()).isZero();
        assertThat(again.output()).contains("checks: 1 scenario in 1 context (traces, catalogs and windows checked)");
        // an experiment whose paths are all absolute or shipped names is copied as is, comments and all
        Path plain = spec("synthetic", "0.25", "# a comment\n");
        Path out2 = tmp.resolve("runs/r2");
        assertThat(sweep("--spec", plain.toString(), "--workers", "1", "--out", out2.toString()).exit()).isEqualTo(4);
        assertThat(out2.resolve("experiment.yaml")).hasSameTextualContentAs(plain);
    }
}
