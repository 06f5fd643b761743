package io.prescale.datasets;

import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedTracesTest {
    @TempDir
    Path tmp;

    @Test
    void dataDirPrefersTheFlagThenTheEnvironmentThenTheSharedFolderBesideTheProject() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("work/project"));
        Path beside = Files.createDirectories(tmp.resolve("work/shared/datasets"));
        Path flag = Files.createDirectories(tmp.resolve("flag"));
        Path env = Files.createDirectories(tmp.resolve("env"));
        Map<String, String> withEnv = Map.of("PRESCALE_DATA", env.toString());

        assertThat(SharedTraces.findDataDir(Optional.of(flag), root, withEnv)).contains(flag);
        assertThat(SharedTraces.findDataDir(Optional.empty(), root, withEnv)).contains(env);
        assertThat(SharedTraces.findDataDir(Optional.empty(), root, Map.of())).contains(beside.normalize());
        assertThat(SharedTraces.findDataDir(Optional.empty(), Files.createDirectories(tmp.resolve("lonely/p")), Map.of())).isEmpty();
    }

    @Test
    void aDataFolderTheUserNamedMustExist() {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> SharedTraces.findDataDir(Optional.of(missing), tmp, Map.of()))
                .hasMessage("--data " + missing + ": data folder not found");
        assertThatThrownBy(() -> SharedTraces.findDataDir(Optional.empty(), tmp, Map.of("PRESCALE_DATA", missing.toString())))
                .hasMessage("PRESCALE_DATA " + missing + ": data folder not found");
    }

    @Test
    void sharedNamesComeFromTheManifestsUnderTheDataFolder() throws IOException {
        // a fake data folder laid out like ../shared/datasets, holding the fixtures
        Path azure = Files.createDirectories(tmp.resolve("azure-llm-2023"));
        Path fixtures = Fixtures.of(TraceFormat.AZURE_LLM).getParent();
        Files.copy(fixtures.resolve("AzureLLMInferenceTrace_code.csv"), azure.resolve("AzureLLMInferenceTrace_code.csv"));
        Files.copy(fixtures.resolve("AzureLLMInferenceTrace_conv.csv"), azure.resolve("AzureLLMInferenceTrace_conv.csv"));

        TraceSource s = SharedTraces.resolve("azure-llm", tmp);
        assertThat(s.id()).isEqualTo("azure-llm");
        assertThat(s.format()).isEqualTo(TraceFormat.AZURE_LLM);
        assertThat(s.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("AzureLLMInferenceTrace_code.csv", "AzureLLMInferenceTrace_conv.csv");
        assertThat(s.manifest()).isPresent();
    }

    @Test
    void twoFilesMergeInTimeOrderAsTwoModelsWithTiesByModel() {
        Path dir = Fixtures.of(TraceFormat.AZURE_LLM).getParent();
        TraceSource s = new TraceSource("azure", TraceFormat.AZURE_LLM,
                List.of(dir.resolve("AzureLLMInferenceTrace_conv.csv"), dir.resolve("AzureLLMInferenceTrace_code.csv")), "");
        List<TraceRecord> r = Fixtures.readAll(s.open(ReadOptions.STRICT));
        // conv 03.5, code 03.97996, then three at 04.03196: code, code (file order), conv; code 05.1000001; conv 06
        assertThat(r).extracting(TraceRecord::model).containsExactly("conv", "code", "code", "code", "conv", "code", "conv");
        assertThat(r.get(2).time()).isEqualTo(Instant.parse("2023-11-16T18:17:04.031960Z"));
        assertThat(((TraceRecord.Request) r.get(2)).inputTokens()).isEqualTo(3180);
        assertThat(((TraceRecord.Request) r.get(3)).inputTokens()).isEqualTo(110);
    }

    @Test
    void sharedNamesNeedADataFolder() {
        assertThatThrownBy(() -> SharedTraces.resolve("servegen", (Path) null))
                .hasMessageStartingWith("trace 'servegen' needs the shared data folder, which was not found: pass --data DIR or set PRESCALE_DATA");
    }

    @Test
    void aFormatAndPathSpecWorksForAnyFile() {
        Path f = Fixtures.of(TraceFormat.NASA);
        TraceSource s = SharedTraces.resolve("nasa:" + f, Optional.empty());
        assertThat(s.id()).isEqualTo("nasa:" + f);
        assertThat(s.format()).isEqualTo(TraceFormat.NASA);
        assertThat(s.files()).containsExactly(f);
        assertThat(s.manifest()).isEmpty();
    }

    @Test
    void syntheticResolvesWithoutDataAndIsDeterministic() {
        TraceSource s = SharedTraces.resolve("synthetic", (Path) null);
        assertThat(s.format()).isEqualTo(TraceFormat.COUNTS_CSV);
        TraceSummary sum = TraceCatalog.summarize(s, ReadOptions.STRICT);
        assertThat(sum.models()).isEqualTo(4);
        assertThat(sum.records()).isEqualTo(4 * 14 * 288);
        assertThat(sum.span()).isEqualTo(java.time.Duration.ofDays(14));
        // the same seed writes the same bytes
        String sha = s.sha256();
        Path again = tmp.resolve("again.csv");
        new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(SharedTraces.SYNTHETIC_SEED)).writeCountsCsv(again);
        assertThat(new TraceSource("x", TraceFormat.COUNTS_CSV, List.of(again), "").sha256()).isEqualTo(sha);
    }

    @Test
    void sha256OfOneFileIsTheFilesOwnAndOfSeveralCoversThemInOrder() throws IOException {
        Path a = Files.writeString(tmp.resolve("a"), "abc");
        Path b = Files.writeString(tmp.resolve("b"), "def");
        Path ab = Files.writeString(tmp.resolve("ab"), "abcdef");
        // sha256("abc"), the FIPS 180-2 test vector
        assertThat(new TraceSource("a", TraceFormat.REQUESTS_CSV, List.of(a), "").sha256())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(new TraceSource("ab", TraceFormat.REQUESTS_CSV, List.of(a, b), "").sha256())
                .isEqualTo(new TraceSource("x", TraceFormat.REQUESTS_CSV, List.of(ab), "").sha256())
                .isNotEqualTo(new TraceSource("ba", TraceFormat.REQUESTS_CSV, List.of(b, a), "").sha256());
    }

    @Test
    void summaryCountsRequestsPerModelAndExcludesGaps() {
        TraceSummary s = TraceCatalog.summarize(
                new TraceSource("sg", TraceFormat.SERVEGEN, List.of(Fixtures.of(TraceFormat.SERVEGEN)), ""), ReadOptions.STRICT);
        // m-large 1500 + 1200 + 1800; m-small 300 + 750 (the gap window is not demand)
        assertThat(s.requestsByModel()).containsEntry("m-large", 4500.0).containsEntry("m-small", 1050.0);
        assertThat(s.requests()).isEqualTo(5550.0);
        assertThat(s.gapIntervals()).isEqualTo(1);
        assertThat(s.records()).isEqualTo(6);
        assertThat(s.start()).isEqualTo(Instant.EPOCH);
        assertThat(s.end()).isEqualTo(Instant.EPOCH.plusSeconds(1800)); // end of the last window
        assertThat(s.busiestModel()).isEqualTo("m-large");
        try (TraceReader r = TraceFormat.SERVEGEN.open(Fixtures.of(TraceFormat.SERVEGEN), ReadOptions.STRICT)) {
            assertThat(r.skippedRows()).isZero();
        }
    }
}
