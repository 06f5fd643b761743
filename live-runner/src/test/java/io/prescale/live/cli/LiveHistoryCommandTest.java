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
        assertThat(Files.readAllLines(out)).containsExactly("interval_start,interval_s,model,count,gap", "2026-11-28T12:59:00Z,60,mlp,519,0");
    }
}
