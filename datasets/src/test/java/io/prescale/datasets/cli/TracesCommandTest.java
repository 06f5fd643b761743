package io.prescale.datasets.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class TracesCommandTest {
    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new TracesCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path fixture(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(getClass().getClassLoader().getResource("fixtures/" + name)).toURI());
    }

    private void fakeAzure() throws IOException, URISyntaxException {
        Path azure = Files.createDirectories(data.resolve("azure-llm-2023"));
        for (String f : new String[]{"AzureLLMInferenceTrace_code.csv", "AzureLLMInferenceTrace_conv.csv"})
            Files.copy(fixture("azure-llm/" + f), azure.resolve(f));
    }

    @Test
    void listsTheTracesPresentPlusSyntheticAndNamesTheMissingOnes() throws Exception {
        fakeAzure();
        assertThat(run("--data", data.toString())).isZero();
        assertThat(out.toString())
                .contains("data folder: " + data)
                .containsPattern("azure-llm +azure-llm +2 ")
                .containsPattern("synthetic +counts-csv +1 ")
                .contains("CC BY 4.0")
                .contains("not in the data folder: servegen, servegen-clients, alibaba-genai, mooncake, nasa");
    }

    @Test
    void verifyReportsFilesThatDifferFromTheManifest() throws Exception {
        fakeAzure(); // fixtures are not the real files: their sha256 differs
        assertThat(run("--data", data.toString(), "--verify")).isEqualTo(1);
        assertThat(err.toString()).contains("AzureLLMInferenceTrace_code.csv: sha256 ").contains("differs from the manifest's 54e9a6d2");
        assertThat(out.toString()).contains("2 files differ from their manifest");
    }

    @Test
    void aSpanUnderAMinuteIsInSeconds() {
        assertThat(TracesCommand.span(java.time.Duration.ofMillis(2250))).isEqualTo("2.3s"); // was "0.0min"
        assertThat(TracesCommand.span(java.time.Duration.ofMinutes(59))).isEqualTo("59.0min");
    }

    @Test
    void detailForOneTraceListsModels() throws Exception {
        assertThat(run("--trace", "servegen:" + fixture("servegen/model_rates_10min.csv"))).isZero();
        assertThat(out.toString()).contains("1 file, ").contains("6 records, 5550 requests, 1 gap interval\n")
                .containsPattern("m-large +4500").containsPattern("m-small +1050");
    }

    @Test
    void oneRequestIsSingular() throws Exception {
        Path f = Files.writeString(data.resolve("one.csv"), "timestamp,model\n2024-01-01T00:00:00Z,chat\n");
        assertThat(run("--trace", "requests-csv:" + f)).isZero();
        assertThat(out.toString()).contains(", 1 record, 1 request, 0 gap intervals\n"); // was "1 requests"
    }

    @Test
    void badInputIsAOneLineErrorAndANonZeroExit() {
        assertThat(run("--trace", "no-such-format:x.csv")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("prescale traces: unknown trace format 'no-such-format'").doesNotContain("\n");
        assertThat(run("--data", data.resolve("absent").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("data folder not found");
    }

    @Test
    void helpListsEveryFormat() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains(io.prescale.datasets.TraceFormat.ids());
    }
}
