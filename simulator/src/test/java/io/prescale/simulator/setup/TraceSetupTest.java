package io.prescale.simulator.setup;

import io.prescale.core.config.ConfigException;
import io.prescale.simulator.catalog.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceSetupTest {
    @TempDir
    Path dir;

    private static final String CATALOG = """
            schema: prescale.catalog/v1
            pools:
              - {id: l4, gpuMemory: 24GB, cpuCores: 4, pricePerHour: 0.8, provisioningDelay: 3m}
              - {id: h100, gpuMemory: 80GB, cpuCores: 8, pricePerHour: 4, provisioningDelay: 3m, sharing: mig}
            defaults:
              pool: l4
              gpuMemory: 12GB
              latency: {base: 40ms, perItem: 10ms}
              slo: {latency: 500ms}
            models:
              - {match: embed, pool: l4}
              - {match: chat, pool: h100, ENTRY}
            """;

    /** The setup of one trace model, {@code chat}, under the catalog with {@code entry} in its models[1]. */
    private TraceSetup chat(String entry) throws IOException {
        Path file = Files.writeString(dir.resolve("cat.yaml"), CATALOG.replace("ENTRY", entry));
        ModelCatalog cat = ModelCatalog.load(file);
        return new TraceSetup(null, null, cat, List.of(cat.resolve("chat").spec()), 0);
    }

    @Test
    void aMigProfileThatDoesNotFitItsPoolNamesTheCatalogFileAndField() throws IOException {
        // read "model chat: migProfile: ...": neither the file nor the entry, unlike every other catalog error
        String file = dir.resolve("cat.yaml").toString();
        // a profile of the 141 GB H200, not the 80 GB H100: refused as the catalog loads (ModelCatalog), before any setup
        assertThatThrownBy(() -> chat("migProfile: 1g.18gb").pools(null))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": models[1].migProfile: '1g.18gb' is not a MIG profile of pool h100's 80.0GB GPU "
                        + "(its profiles: [1g.10gb, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb])");
        assertThatThrownBy(() -> chat("gpuMemory: 30GB, migProfile: 1g.10gb").pools(null))
                .hasMessage(file + ": models[1].migProfile: 1g.10gb holds 10 GB, less than its gpuMemory 30 GB (model chat, pool h100)");
        // a model no entry matches takes the defaults: named as such
        ModelCatalog onH100 = ModelCatalog.load(Files.writeString(dir.resolve("defaults.yaml"),
                CATALOG.replace("ENTRY", "gpuMemory: 12GB").replace("  pool: l4\n  gpuMemory: 12GB", "  pool: h100\n  gpuMemory: 12GB\n  migProfile: 1g.10gb")));
        assertThatThrownBy(() -> new TraceSetup(null, null, onH100, List.of(onH100.resolve("other").spec()), 1).pools(null))
                .hasMessage(dir.resolve("defaults.yaml") + ": defaults.migProfile: 1g.10gb holds 10 GB, less than its gpuMemory 12 GB (model other, pool h100)");
    }
}
