package io.prescale.live.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveHistoryCommandTest {
    @Test
    void oneMinuteOfHistoryReadsInTheSingular(@TempDir Path dir) throws Exception {
        Path part = Files.createDirectories(dir.resolve("state/history/model=mlp/date=2026-11-28")).resolve("part.csv");
        Files.writeString(part, "minute,arrivals,completed,rejected,timed_out,mean_latency_ms\n2026-11-28T12:59:00Z,519,519,0,0,2.111\n");
        Path out = dir.resolve("live.csv");
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new LiveHistoryCommand()).execute("--state", dir.resolve("state").toString(), "--out", out.toString());
        } finally {
            System.setOut(stdout);
        }
        assertThat(rc).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains(": 1 model-minute (trace spec counts-csv:"); // was "1 model-minutes"
        // the export says how to simulate it, from its own first minute (simulate's default --from for an interval trace)
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("to simulate it from its first minute, 2026-11-28T12:59:00Z: prescale simulate --trace counts-csv:" + out + "\n");
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap", "2026-11-28T12:59:00Z,60,mlp,519,0");
    }

    @Test
    void aFreshStateFolderIsAUserErrorNamingWhenRowsAppear(@TempDir Path dir) throws Exception {
        // serve makes history/ at its start; before a minute has completed there is no row in it. The export threw a plain
        // IOException, printed as "IOException: the demand history under ... is empty (set PRESCALE_DEBUG=1 ...)"
        Path history = Files.createDirectories(dir.resolve("state/history"));
        Path out = dir.resolve("x.csv");
        LiveHistoryCommand c = new LiveHistoryCommand();
        new CommandLine(c).parseArgs("--state", dir.resolve("state").toString(), "--out", out.toString());
        assertThatThrownBy(c::call).isInstanceOf(io.prescale.core.config.ConfigException.class)
                .hasMessage(history + ": no demand recorded yet: serve writes one row per model per completed minute, "
                        + "so there is none until a model has been registered through a whole minute");
        // a model folder with only its header row is no different
        Files.writeString(Files.createDirectories(history.resolve("model=mlp/date=2026-11-28")).resolve("part.csv"),
                "minute,arrivals,completed,rejected,timed_out,mean_latency_ms\n");
        assertThatThrownBy(c::call).isInstanceOf(io.prescale.core.config.ConfigException.class).hasMessageContaining("no demand recorded yet");
        assertThat(out).doesNotExist();
        // a corrupt row: its file and line, as a trace's bad row is named
        Path part = history.resolve("model=mlp/date=2026-11-28/part.csv");
        Files.writeString(part, "minute,arrivals,completed,rejected,timed_out,mean_latency_ms\n2026-11-28T12:59:00Z,abc,0,0,0,0\n");
        assertThatThrownBy(c::call).isInstanceOf(io.prescale.core.trace.TraceFormatException.class).hasMessageStartingWith(part + ":2: ");
    }

    @Test
    void anEarlierModelFilesDemandIsASeriesOfItsOwnUnlessMerged(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("state/history/model=mlp"));
        Files.writeString(Files.createDirectories(model.resolve("date=2026-11-28")).resolve("part.csv"),
                "minute,arrivals,completed,rejected,timed_out,mean_latency_ms\n2026-11-28T12:58:00Z,519,519,0,0,2.111\n"
                        + "2026-11-28T12:59:00Z,20,20,0,0,9.500\n");
        // the first file served the name until 12:59, another one from then on
        Files.writeString(model.resolve(".registration"), "1".repeat(64) + " 1970-01-01T00:00:00Z\n" + "2".repeat(64) + " 2026-11-28T12:59:10Z\n");
        Path out = dir.resolve("live.csv");
        assertThat(run("--state", dir.resolve("state").toString(), "--out", out.toString()))
                .contains("as series of their own: mlp@111111111111 (--merge-lineages");
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-11-28T12:58:00Z,60,mlp@111111111111,519,0", "2026-11-28T12:59:00Z,60,mlp,20,0");
        assertThat(run("--state", dir.resolve("state").toString(), "--out", out.toString(), "--merge-lineages")).doesNotContain("@");
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap",
                "2026-11-28T12:58:00Z,60,mlp,519,0", "2026-11-28T12:59:00Z,60,mlp,20,0");
    }

    /** Runs the command (which must succeed); returns what it printed. */
    private static String run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertThat(new CommandLine(new LiveHistoryCommand()).execute(args)).isZero();
        } finally {
            System.setOut(stdout);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
