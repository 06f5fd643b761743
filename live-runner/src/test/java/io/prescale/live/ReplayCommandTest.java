package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.live.cli.ReplayCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prescale replay} against a real runner on loopback: every request of a small trace is sent and
 * answered, counted per served model; trace models without a served model are reported, not sent.
 */
class ReplayCommandTest {

    @Test
    void everyRequestIsSentAndAnsweredAndUnmappedModelsAreReported(@TempDir Path dir) throws Exception {
        // 30 requests of "m" and 5 of "other", 0.1 s apart in trace time; replayed at 50x (0.07 s of wall time)
        StringBuilder csv = new StringBuilder("timestamp,model\n");
        for (int i = 0; i < 35; i++) csv.append(String.format("2024-01-01T00:00:%02d.%dZ,%s%n", i / 10, i % 10, i % 7 == 6 ? "other" : "m"));
        Path trace = dir.resolve("trace.csv");
        Files.writeString(trace, csv);
        Path out = dir.resolve("results").resolve("replay.json"); // a folder not made yet: made (it failed after the replay)
        try (LiveHarness h = new LiveHarness(dir.resolve("runner"))) {
            // two models registered, so "other" has no default to fall back to
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "\"minReplicas\":1")).statusCode()).isEqualTo(201);
            assertThat(h.post("/models", LiveHarness.register("ids", "ids.onnx", "")).statusCode()).isEqualTo(201);
            PrintStream stdout = System.out, stderr = System.err;
            ByteArrayOutputStream buf = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            int exit;
            try {
                System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                // "mm" is a typo: no trace model of that name, which replay says rather than ignores
                exit = new CommandLine(new ReplayCommand()).execute("--trace", "requests-csv:" + trace, "--target", h.url(""),
                        "--speed", "50", "--duration", "1m", "--map", "m=affine", "--map", "mm=ids", "--input", "x=1,4", "--connections", "4",
                        "--out", out.toString());
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
            assertThat(exit).as(buf.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("trace model -> served model: m -> affine");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("--map mm=ids: the window has no request of trace model 'mm' (its models: [m, other])");
        }
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertThat(j.path("requests").asLong()).isEqualTo(30);
        JsonNode affine = j.path("models").path("affine");
        assertThat(affine.path("sent").asLong()).isEqualTo(30);
        assertThat(affine.path("ok").asLong()).isEqualTo(30);
        assertThat(affine.path("serverErrors").asLong() + affine.path("clientErrors").asLong()).isZero();
        assertThat(j.path("unmappedTraceModels").path("other").asLong()).isEqualTo(5);
    }

    @Test
    void aReplayThatSentNothingOrWhoseEveryRequestFailedExitsOne(@TempDir Path dir) throws Exception {
        // it used to exit 0 with "0 requests" or with every request refused
        Path trace = tenRequestsOfM(dir);
        try (LiveHarness h = new LiveHarness(dir.resolve("runner"))) {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "\"minReplicas\":1")).statusCode()).isEqualTo(201);
            String[] common = {"--trace", "requests-csv:" + trace, "--target", h.url(""), "--speed", "50", "--duration", "1m", "--map", "m=affine",
                    "--connections", "2", "--out", dir.resolve("r.json").toString()};
            PrintStream stdout = System.out, stderr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                // a wrong input shape: all 10 refused with 400, and the runner's reason is shown
                assertThat(new CommandLine(new ReplayCommand()).execute(concat(common, "--input", "x=1,17"))).isEqualTo(1);
                assertThat(err.toString(StandardCharsets.UTF_8)).contains("replay: first failed answer for affine: 400 {\"error\":");
                // a window past the trace's end: nothing sent
                assertThat(new CommandLine(new ReplayCommand()).execute(concat(common, "--input", "x=1,4", "--from", "1h"))).isEqualTo(1);
                assertThat(new CommandLine(new ReplayCommand()).execute(concat(common, "--input", "x=1,4"))).isZero();
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
        }
    }

    @Test
    void anInputTheServedModelLacksOrAMalformedOneIsRefusedBeforeSending(@TempDir Path dir) throws Exception {
        // "--input y=1,4" for a model whose input is x used to send every request and collect a 400 for each
        Path trace = tenRequestsOfM(dir);
        try (LiveHarness h = new LiveHarness(dir.resolve("runner"))) {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "\"minReplicas\":1")).statusCode()).isEqualTo(201);
            String[] common = {"--trace", "requests-csv:" + trace, "--target", h.url(""), "--speed", "50", "--duration", "1m", "--connections", "2"};
            assertThat(failure(concat(common, "--input", "y=1,4"))).isEqualTo("--input: served model 'affine' has no input 'y' (its inputs: x)");
            assertThat(h.get("/models/affine").body()).contains("\"arrivals\":0");
            // a served model the runner lacks is named by the flag that gave it: --default-model was told as --map
            assertThat(failure(concat(common, "--default-model", "nosuch"))).startsWith("--default-model: served model 'nosuch': ");
            assertThat(failure(concat(common, "--map", "m=nosuch"))).startsWith("--map: served model 'nosuch': ");
            // the name is one path segment: "affine#x" was looked up as model "affine" (and every request then sent as
            // "affine#x", a 404 each); "my model" failed as "Illegal character in path"
            assertThat(failure(concat(common, "--map", "m=affine#x"))).isEqualTo("--map: served model 'affine#x': no model named 'affine#x'");
            assertThat(failure(concat(common, "--map", "m=my model"))).isEqualTo("--map: served model 'my model': no model named 'my model'");
            // a folder as --out: refused before the replay, not after it ("cannot open DIR (Is a directory)")
            assertThat(failure(concat(common, "--out", dir.toString()))).isEqualTo("--out: " + dir + " is a folder: give the JSON file's path");
            assertThat(h.get("/models/affine").body()).contains("\"arrivals\":0");
            // was a NumberFormatException with a stack trace
            assertThat(failure(concat(common, "--input", "x=1,four"))).isEqualTo("--input: x=1,four: dimension 'four' is not a whole number (expected name=d1,d2[@value])");
            assertThat(failure(concat(common, "--input", "x=1,4@high"))).isEqualTo("--input: x=1,4@high: value 'high' is not a number (expected name=d1,d2[@value])");
        }
    }

    /** The message of the exception a replay ended with. */
    private static String failure(String... args) {
        java.util.concurrent.atomic.AtomicReference<Exception> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        CommandLine cl = new CommandLine(new ReplayCommand());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            thrown.set(ex);
            return 2;
        });
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(cl.execute(args)).isEqualTo(2);
        } finally {
            System.setOut(stdout);
        }
        return thrown.get().getMessage();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** trace.csv in {@code dir}: model m, one request a second over the first 10 s. */
    private static Path tenRequestsOfM(Path dir) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("timestamp,model\n");
        for (int i = 0; i < 10; i++) csv.append(String.format("2024-01-01T00:00:%02dZ,m%n", i));
        return Files.writeString(dir.resolve("trace.csv"), csv);
    }
}
