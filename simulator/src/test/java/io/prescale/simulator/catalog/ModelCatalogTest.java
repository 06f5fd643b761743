package io.prescale.simulator.catalog;

import io.prescale.core.config.ConfigException;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.SharingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCatalogTest {
    static final String BASE = """
            schema: prescale.catalog/v1
            defaults:
              pool: l4-24gb
              gpuMemory: 12GB
              latency: {base: 40ms, perItem: 10ms}
              maxBatch: 16
              slo: {latency: 500ms, target: 0.99}
            models:
              - match: "chat-*"
                pool: h100-80gb
                gpuMemory: 40GB
                latency: {base: 1s}
                maxBatch: 32
                slo: {latency: 5s}
            """;

    static ModelCatalog parse(String yaml) {
        return ModelCatalog.parse("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"servegen", "servegen-clients", "alibaba-genai", "azure-llm", "mooncake", "nasa", "synthetic"})
    void everyShippedCatalogLoadsAndResolvesAnyModel(String trace) {
        ModelCatalog c = ModelCatalog.builtin(trace);
        assertThat(c.pools()).containsKeys("h100-80gb", "a100-80gb", "l4-24gb", "cpu-32c");
        ModelSpec s = c.resolve("some-model-nobody-listed").spec();
        assertThat(s.id()).isEqualTo("some-model-nobody-listed");
        assertThat(c.pools()).containsKey(s.pool());
        assertThat(s.latency().batchSeconds(1)).isPositive();
        if (c.pools().get(s.pool()).isGpu())
            assertThat(s.needs().gpuMemoryBytes()).isLessThanOrEqualTo(c.pools().get(s.pool()).gpuMemoryBytes());
    }

    @Test
    void aControlCharacterAnywhereIsRefusedNamingWhere() {
        // pool ids and model globs are printed in terminal tables: an escape sequence there would recolour the terminal
        assertThatThrownBy(() -> parse("schema: prescale.catalog/v1\ndefaults: {pool: l4-24gb, latency: {base: 40ms, perItem: 10ms}, slo: {latency: 500ms}}\n"
                + "models:\n  - {match: \"m\\u001b[31m\", pool: l4-24gb}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml: models[0].match").hasMessageContaining("U+001B");
        // a folded multi-line text keeps its line breaks
        ModelCatalog c = parse("schema: prescale.catalog/v1\ndefaults: {pool: l4-24gb, gpuMemory: 12GB, latency: {base: 40ms, perItem: 10ms}, slo: {latency: 500ms}}\n"
                + "models:\n  - match: m\n    source: |\n      line one\n      line two\n");
        assertThat(c.resolve("m").spec().pool()).isEqualTo("l4-24gb");
    }

    @Test
    void theCappedServeGenCatalogIsTheShippedOneWithTheH100PoolCapped() {
        // experiments/catalogs/servegen-capped.yaml copies the ServeGen models and the shipped pools: they must not drift
        ModelCatalog capped = ModelCatalog.load(Path.of("..", "experiments", "catalogs", "servegen-capped.yaml"));
        ModelCatalog shipped = ModelCatalog.builtin("servegen");
        for (String m : new String[]{"m-large", "m-mid", "m-small", "deepseek-r1", "mm-image", "other"})
            assertThat(capped.resolve(m)).as(m).isEqualTo(shipped.resolve(m));
        assertThat(capped.pools().keySet()).containsExactlyElementsOf(shipped.pools().keySet());
        shipped.pools().forEach((id, p) -> assertThat(capped.pools().get(id))
                .isEqualTo(id.equals("h100-80gb") ? new io.prescale.core.resource.PoolShape(p.id(), p.gpuType(), p.gpusPerNode(),
                        p.gpuMemoryBytes(), p.cpuCores(), p.hostMemoryBytes(), p.pricePerHour(), p.provisioningDelay(), p.sharing(),
                        p.minNodes(), 10, p.priceSource(), p.migReconfigurationDelay()) : p));
    }

    @Test
    void shippedPoolsHaveRealShapesAndPrices() {
        var pools = ModelCatalog.builtinPools();
        assertThat(pools.get("h100-80gb").gpuMemoryBytes()).isEqualTo(80_000_000_000L);
        assertThat(pools.get("l4-24gb").gpuMemoryBytes()).isEqualTo(24_000_000_000L);
        assertThat(pools.get("cpu-32c").isGpu()).isFalse();
        assertThat(pools.values()).allSatisfy(p -> {
            assertThat(p.pricePerHour()).isPositive();
            assertThat(p.priceSource()).isNotBlank();
        });
    }

    @Test
    void globsMatchAndEntriesAreWrittenOverTheDefaults() {
        ModelCatalog c = parse(BASE);
        ModelCatalog.Resolved chat = c.resolve("chat-large");
        assertThat(chat.matched()).isTrue();
        ModelSpec s = chat.spec();
        assertThat(s.pool()).isEqualTo("h100-80gb");
        assertThat(s.maxBatch()).isEqualTo(32);
        assertThat(s.latency().baseSeconds()).isEqualTo(1.0);
        assertThat(s.latency().perItemSeconds()).isEqualTo(0.01); // nested keys merge: perItem from the defaults
        assertThat(s.slo().latency()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.slo().target()).isEqualTo(0.99);
        ModelCatalog.Resolved other = c.resolve("embed/small");
        assertThat(other.matched()).isFalse();
        assertThat(other.spec().pool()).isEqualTo("l4-24gb");
        assertThat(other.spec().maxBatch()).isEqualTo(16);
        assertThat(c.pools().get("h100-80gb").sharing()).isEqualTo(SharingMode.EXCLUSIVE);
    }

    @Test
    void aBadDurationNamesItsPath() {
        assertThatThrownBy(() -> parse(BASE.replace("slo: {latency: 5s}", "slo: {latency: abc}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].slo.latency").hasMessageContaining("abc");
        assertThatThrownBy(() -> parse(BASE.replace("latency: {base: 40ms, perItem: 10ms}", "latency: {base: 40ms, perItem: fast}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("defaults.latency.perItem");
    }

    @Test
    void aDurationWithoutAUnitIsRefusedAsTheFlagsRefuseIt() {
        // "base: 50" was read as 50 seconds: a model meant to take 50 ms ran a thousand times slower, without a word
        assertThatThrownBy(() -> parse(BASE.replace("latency: {base: 40ms, perItem: 10ms}", "latency: {base: 50, perItem: 10ms}")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: defaults.latency.base: '50' has no unit: write 50ms or 50s");
        assertThat(parse(BASE.replace("perItem: 10ms", "perItem: 0")).resolve("x").spec().latency().perItemSeconds()).isZero();
        // quoted, it is still a bare number (it was read as 50 s)
        assertThatThrownBy(() -> parse(BASE.replace("latency: {base: 40ms, perItem: 10ms}", "latency: {base: '50', perItem: 10ms}")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: defaults.latency.base: '50' has no unit: write 50ms or 50s");
        assertThatThrownBy(() -> parse(BASE.replace("slo: {latency: 5s}", "slo: {latency: \"2.5\"}")))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("models[0].slo.latency: '2.5' has no unit: write 2.5ms or 2.5s");
        assertThat(parse(BASE.replace("perItem: 10ms", "perItem: '0'")).resolve("x").spec().latency().perItemSeconds()).isZero();
    }

    @Test
    void aYamlSyntaxErrorIsOneLineWithItsPlace() {
        assertThatThrownBy(() -> parse("schema: prescale.catalog/v1\ndefaults: {pool: x\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: not valid YAML: line 3, column 1: expected ',' or '}', but got <stream end>");
    }

    @Test
    void anUnknownKeyNamesItsPath() {
        assertThatThrownBy(() -> parse(BASE.replace("    maxBatch: 32", "    maxBatch: 32\n    colour: blue")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].colour").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> parse(BASE.replace("slo: {latency: 5s}", "slo: {latency: 5s, p99: 1s}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].slo.p99");
        assertThatThrownBy(() -> parse(BASE + "extra: 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("test.yaml: extra: unknown key"); // was "test.yaml.extra"
        // a misspelt key gets the one it was meant to be, as a misspelt policy id does
        assertThatThrownBy(() -> parse(BASE.replace("    maxBatch: 32", "    maxBtach: 32")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].maxBtach: unknown key, did you mean maxBatch? (known: ");
        assertThatThrownBy(() -> parse(BASE.replace("  maxBatch: 16", "  maxBtach: 16")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("test.yaml: defaults.maxBtach: unknown key, did you mean maxBatch? (known: ");
        assertThatThrownBy(() -> parse(BASE + "default: {}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("test.yaml: default: unknown key, did you mean defaults? (known: defaults, models, pools, schema)");
    }

    @Test
    void aModelLargerThanItsPoolsGpuIsRefusedNotLeftUnplaceable() {
        // 500 GB on an 80 GB H100: no placement could hold a replica and every request would time out unflagged
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 500GB")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: models[0].gpuMemory: 500.0GB exceeds pool h100-80gb (80.0GB per GPU)");
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 12GB", "gpuMemory: 30GB")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("defaults.gpuMemory: 30.0GB exceeds pool l4-24gb");
    }

    @Test
    void aMisspeltMigProfileIsACatalogErrorNotAMidRunOne() {
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 40GB\n    migProfile: 9g.90gb")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].migProfile: unknown MIG profile '9g.90gb'");
    }

    @Test
    void anUnknownPoolNamesItsPathAndTheKnownPools() {
        assertThatThrownBy(() -> parse(BASE.replace("pool: h100-80gb", "pool: tpu-v5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].pool").hasMessageContaining("tpu-v5")
                .hasMessageContaining("l4-24gb");
    }

    @Test
    void badValuesAndMissingPartsAreClearErrors() {
        assertThatThrownBy(() -> parse(BASE.replace("maxBatch: 32", "maxBatch: many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].maxBatch");
        assertThatThrownBy(() -> parse(BASE.replace("maxBatch: 32", "maxBatch: 0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0]").hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].gpuMemory");
        assertThatThrownBy(() -> parse(BASE.replace("prescale.catalog/v1", "prescale.catalog/v9")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema");
        // a catalog of models alone once read only "defaults: missing": say what defaults is and what it needs
        assertThatThrownBy(() -> parse("schema: prescale.catalog/v1\nmodels: []\n"))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: defaults: missing: the spec every models[] entry is written over "
                        + "and unmatched models get (at least pool, latency, slo)");
        // (the entry without its match keeps a key of its own: "pool" again would now be refused as a repeated key)
        assertThatThrownBy(() -> parse(BASE.replace("  - match: \"chat-*\"\n", "  - source: no match\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("models[0].match");
        assertThatThrownBy(() -> parse("schema: [unclosed"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml");
    }

    @Test
    void customPoolsAreCheckedToo() {
        String withPools = BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m, sharing: sideways}
                  - {id: h100-80gb, gpuMemory: 80GB, cpuCores: 24, pricePerHour: 12, provisioningDelay: 3m}
                defaults:""");
        assertThatThrownBy(() -> parse(withPools)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pools[0]").hasMessageContaining("sideways");
        ModelCatalog ok = parse(withPools.replace("sharing: sideways", "sharing: mps").replace("provisioningDelay: 3m}", "provisioningDelay: 3m, sharing: mig}"));
        assertThat(ok.pools().get("l4-24gb").sharing()).isEqualTo(SharingMode.MPS);
        assertThat(ok.pools().get("h100-80gb").sharing()).isEqualTo(SharingMode.MIG);
        assertThat(ok.pools().get("h100-80gb").provisioningDelay()).isEqualTo(Duration.ofMinutes(3));
        assertThat(ok.pools().get("h100-80gb").migReconfigurationDelay()).isEqualTo(Duration.ofSeconds(60)); // the default
        String mig = withPools.replace("sharing: sideways", "sharing: mps");
        assertThat(parse(mig.replace("provisioningDelay: 3m}", "provisioningDelay: 3m, sharing: mig, migReconfigurationDelay: 15s}"))
                .pools().get("h100-80gb").migReconfigurationDelay()).isEqualTo(Duration.ofSeconds(15));
        assertThatThrownBy(() -> parse(mig.replace("provisioningDelay: 3m}", "provisioningDelay: 3m, migReconfigurationDelay: 15}"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pools[1].migReconfigurationDelay").hasMessageContaining("no unit");
    }

    @Test
    void aRepeatedPoolIdIsRefusedNotSilentlyReplaced() {
        // the second l4-24gb replaced the first without a word: the models on it got 48 GB GPUs at the other price
        String twice = BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m}
                  - {id: h100-80gb, gpuMemory: 80GB, cpuCores: 24, pricePerHour: 12, provisioningDelay: 3m}
                  - {id: l4-24gb, gpuMemory: 48GB, cpuCores: 8, pricePerHour: 1.6, provisioningDelay: 3m}
                defaults:""");
        assertThatThrownBy(() -> parse(twice)).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: pools[2].id: 'l4-24gb' repeats pools[0].id");
    }

    @Test
    void aLatencyOrSloThatIsNotAMappingSaysSoRatherThanMissing() {
        assertThatThrownBy(() -> parse(BASE.replace("latency: {base: 1s}", "latency: 5ms"))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: models[0].latency: want a mapping such as {base: 40ms, perItem: 10ms}, got \"5ms\"");
        assertThatThrownBy(() -> parse(BASE.replace("slo: {latency: 5s}", "slo: [5s]"))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: models[0].slo: want a mapping such as {latency: 500ms}, got [\"5s\"]");
        assertThatThrownBy(() -> parse(BASE.replace("  latency: {base: 40ms, perItem: 10ms}\n", ""))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: defaults.latency: missing");
    }

    @Test
    void aValueTheSpecOrPoolRefusesIsSaidAtItsField() {
        // was "test.yaml: models[0]: maxBatch must be >= 1" and "models[0]: needs.gpuComputeShare must be in [0, 1]"
        assertThatThrownBy(() -> parse(BASE.replace("maxBatch: 32", "maxBatch: 0"))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: models[0].maxBatch: must be >= 1");
        assertThatThrownBy(() -> parse(BASE.replace("maxBatch: 32", "maxBatch: 32\n    gpuComputeShare: 1.5")))
                .hasMessage("test.yaml: models[0].gpuComputeShare: must be in [0, 1]");
        assertThatThrownBy(() -> parse(BASE.replace("slo: {latency: 5s}", "slo: {latency: 5s, slowdown: -2}")))
                .hasMessage("test.yaml: models[0].slo.slowdown: must be >= 0");
        assertThatThrownBy(() -> parse(BASE.replace("maxBatch: 32", "maxBatch: 32\n    minReplicas: 3\n    maxReplicas: 2")))
                .hasMessage("test.yaml: models[0].maxReplicas: must be >= max(1, minReplicas)");
        assertThatThrownBy(() -> parse(BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpusPerNode: -1, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m}
                defaults:""")))
                .hasMessage("test.yaml: pools[0].gpusPerNode: must be >= 0");
    }

    @Test
    void anH100NvlPoolTakesItsOwnMigProfileNames() {
        // a 94 GB H100 NVL fell into the 80 GB table: "1g.12gb" was refused and a slice counted 10 GB
        String nvl = BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m}
                  - {id: h100-80gb, gpuType: H100-NVL, gpuMemory: 94GB, cpuCores: 24, pricePerHour: 12, provisioningDelay: 3m, sharing: mig}
                defaults:""").replace("maxBatch: 32", "maxBatch: 32\n    gpuMemory: 11GB\n    migProfile: PROFILE").replace("    gpuMemory: 40GB\n", "");
        ModelCatalog c = parse(nvl.replace("PROFILE", "1g.12gb"));
        ModelSpec s = c.resolve("chat-a").spec();
        assertThat(s.needs().migProfile()).isEqualTo("1g.12gb");
        assertThatThrownBy(() -> parse(nvl.replace("PROFILE", "1g.10gb"))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: models[0].migProfile: '1g.10gb' is not a MIG profile of pool h100-80gb's 94.0GB GPU "
                        + "(its profiles: [1g.12gb, 1g.24gb, 2g.24gb, 3g.47gb, 4g.47gb, 7g.94gb])");
    }

    @Test
    void anAbsurdOrInfinitePriceIsRefusedNamingTheField() {
        // pricePerHour: 1e308 passed ">= 0" and the bill of two node-hours overflowed to infinity; 1e400 reads as infinity
        String pools = BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24GB, cpuCores: 4, pricePerHour: PRICE, provisioningDelay: 3m}
                  - {id: h100-80gb, gpuMemory: 80GB, cpuCores: 24, pricePerHour: 12, provisioningDelay: 3m}
                defaults:""");
        assertThatThrownBy(() -> parse(pools.replace("PRICE", "1e308"))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: pools[0].pricePerHour: must be a number from 0 to 1,000,000 (USD per node-hour), got 1.0E308");
        assertThatThrownBy(() -> parse(pools.replace("PRICE", "1e400"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.yaml: pools[0].pricePerHour: must be a number from 0 to 1,000,000");
        assertThatThrownBy(() -> parse(pools.replace("PRICE", "-1"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.yaml: pools[0].pricePerHour: must be a number from 0");
        assertThat(parse(pools.replace("PRICE", "1000000")).pools().get("l4-24gb").pricePerHour()).isEqualTo(1e6);
        assertThat(parse(pools.replace("PRICE", "0")).pools().get("l4-24gb").pricePerHour()).isZero();
    }

    @Test
    void aSharingModeThePoolCannotHaveNamesTheField() {
        String withPools = BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m, sharing: sideways}
                  - {id: h100-80gb, gpuMemory: 80GB, cpuCores: 24, pricePerHour: 12, provisioningDelay: 3m}
                  - {id: cpu-32c, gpusPerNode: 0, cpuCores: 32, pricePerHour: 1.4, provisioningDelay: 1m}
                defaults:""");
        assertThatThrownBy(() -> parse(withPools)).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: pools[0].sharing: unknown sharing mode 'sideways' (one of exclusive, mig, mps, time-sliced)");
        // MIG exists on 80 GB and 141 GB GPUs only: an L4 pool with it failed once the run began, or named a model instead
        assertThatThrownBy(() -> parse(withPools.replace("sharing: sideways", "sharing: mig"))).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: pools[0].sharing: mig needs a 40 GB or 80 GB (A100/H100), 94 GB (H100 NVL), 96 GB (GH200) or 141 GB (H200) GPU, not 24.0GB (use exclusive, mps or time-sliced)");
        // an A100 with 40 GB has MIG (its own table: 1g.5gb ... 7g.40gb); it was refused as the L4 is
        ModelCatalog a100 = parse(withPools.replace("sharing: sideways", "sharing: mig").replace("gpuMemory: 24GB", "gpuMemory: 40GB"));
        assertThat(a100.pools().get("l4-24gb").sharing()).isEqualTo(SharingMode.MIG);
        assertThatThrownBy(() -> parse(withPools.replace("sharing: sideways", "sharing: exclusive").replace("provisioningDelay: 1m}", "provisioningDelay: 1m, sharing: mps}")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: pools[2].sharing: a CPU pool (gpusPerNode: 0) shares no GPU: use exclusive");
    }

    @Test
    void loadNamesAMissingFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ModelCatalog.load(dir.resolve("nope.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml").hasMessageContaining("not found");
        assertThatThrownBy(() -> ModelCatalog.load(dir)).isInstanceOf(ConfigException.class).hasMessage(dir + ": is a folder, not a catalog file");
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, BASE.replace("slo: {latency: 5s}", "slo: {latency: abc}"));
        assertThatThrownBy(() -> ModelCatalog.load(f))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad.yaml").hasMessageContaining("models[0].slo.latency");
    }

    @Test
    void aReplicaThatReservesNothingOnItsPoolIsRefusedNotPackedWithoutLimit() {
        // no gpuMemory on a GPU pool: under --sharing time-sliced (memory alone bounds a node) every replica of the model
        // went onto one GPU at a billing share of 0 and its nodes' bill was all "spare"
        assertThatThrownBy(() -> parse(BASE.replace("  gpuMemory: 12GB\n", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: defaults.gpuMemory: missing or 0: a model on GPU pool l4-24gb must say the GPU memory a replica takes (e.g. 16GB)");
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 0GB")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("test.yaml: models[0].gpuMemory: missing or 0");
        // cpuCores: 0 on a CPU pool packed any number of replicas onto one node the same way
        String cpu = BASE.replace("pool: h100-80gb", "pool: cpu-32c");
        assertThat(parse(cpu).resolve("chat-x").spec().pool()).isEqualTo("cpu-32c");
        assertThatThrownBy(() -> parse(cpu.replace("maxBatch: 32", "maxBatch: 32\n    cpuCores: 0")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: models[0].cpuCores: must be > 0 for a model on CPU pool cpu-32c (it is what packs its replicas onto nodes)");
    }

    @Test
    void aMigProfileOfAnotherGpuIsRefusedAtItsFieldWhereThePoolHasMig() {
        // 1g.18gb is the H200's: on an 80 GB H100 pool it failed only once a run asked for MIG (--sharing mig, or
        // --recommend's consolidation, which read "no MIG profile '1g.18gb' on a 80 GB GPU" with no file or field)
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 10GB\n    migProfile: 1g.18gb")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: models[0].migProfile: '1g.18gb' is not a MIG profile of pool h100-80gb's 80.0GB GPU "
                        + "(its profiles: [1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb])");
        assertThat(parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 10GB\n    migProfile: 1g.10gb")).resolve("chat-x").spec().needs().migProfile())
                .isEqualTo("1g.10gb");
        // an L4 has no MIG at all: a profile there is never used, as before
        assertThat(parse(BASE.replace("  gpuMemory: 12GB\n", "  gpuMemory: 12GB\n  migProfile: 1g.18gb\n").replace("gpuMemory: 40GB", "gpuMemory: 40GB\n    migProfile: 3g.40gb"))
                .resolve("other").spec().needs().migProfile()).isEqualTo("1g.18gb");
    }

    @Test
    void aSizeWithoutAUnitIsRefusedAsADurationWithoutOneIs() {
        // "gpuMemory: 16" was 16 bytes: under time slicing billions of such replicas fitted one GPU; 1.5 was cut to 1 byte
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 16")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: models[0].gpuMemory: '16' has no unit: write 16GB or 16GiB");
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 1.5")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: models[0].gpuMemory: '1.5' has no unit: write 1.5GB or 1.5GiB");
        assertThatThrownBy(() -> parse(BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m}
                defaults:""")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: pools[0].gpuMemory: '24' has no unit: write 24GB or 24GiB");
        // past a long it was cut to Long.MAX_VALUE bytes and quoted back as "9223372036.9GB exceeds pool ..."
        assertThatThrownBy(() -> parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 100000000000GB")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: models[0].gpuMemory: '100000000000GB' is out of range (at most 1000000TB)");
        // 0 needs none (a CPU model's gpuMemory: 0), and a unit is read as before
        assertThat(parse(BASE.replace("pool: h100-80gb", "pool: cpu-32c").replace("gpuMemory: 40GB", "gpuMemory: 0"))
                .resolve("chat-x").spec().needs().gpuMemoryBytes()).isZero();
        assertThat(parse(BASE.replace("gpuMemory: 40GB", "gpuMemory: 16GiB")).resolve("chat-x").spec().needs().gpuMemoryBytes())
                .isEqualTo(16L << 30);
    }

    @Test
    void aGpuNodeOfSeveralGpusIsRefusedNotPackedAsOne() {
        // 8 H100s at p5.48xlarge's price: the simulator packed the node as one 80 GB GPU, so an exclusive replica paid
        // for 8 GPUs and 7 of them held nothing
        assertThatThrownBy(() -> parse(BASE.replace("defaults:", """
                pools:
                  - {id: l4-24gb, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m}
                  - {id: h100-80gb, gpusPerNode: 8, gpuMemory: 80GB, cpuCores: 192, pricePerHour: 98.32, provisioningDelay: 3m}
                defaults:""")))
                .isInstanceOf(ConfigException.class).hasMessage("test.yaml: pools[1].gpusPerNode: a GPU pool's node is one GPU here "
                        + "(replicas are packed per GPU): write gpusPerNode: 1 and the instance's price per GPU (its price / 8)");
    }
}
