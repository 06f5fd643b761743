package io.prescale.app;

import io.prescale.live.cli.ProfileCommand;
import io.prescale.simulator.catalog.ModelCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** prescale profile writes a model entry the simulator's catalog loader takes as it is, pasted under a catalog's models:. */
class ProfileCatalogEntryTest {
    @TempDir
    Path dir;

    @Test
    void theProfileIsACatalogModelEntry() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        try (InputStream in = getClass().getResourceAsStream("/onnx/affine.onnx")) {
            Files.write(store.resolve("affine.onnx"), in.readAllBytes());
        }
        Path entry = dir.resolve("affine.yaml");
        int exit = new CommandLine(new ProfileCommand()).execute("affine.onnx", "--model-store", store.toString(), "--runs", "3",
                "--batches", "1,2", "--out", entry.toString());
        assertThat(exit).isZero();
        String text = Files.readString(entry);
        // was a mapping with pool: cpu (no catalog pool has that id) and keys no catalog knows: "models[0].model: unknown key"
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), """
                schema: prescale.catalog/v1
                defaults:
                  pool: cpu-32c
                  latency: {base: 1ms, perItem: 0ms}
                  slo: {latency: 200ms, target: 0.99}
                models:
                """ + text.replaceAll("(?m)^", "  "));
        ModelCatalog.Resolved r = ModelCatalog.load(catalog).resolve("affine");
        assertThat(r.matched()).as("its match is the file's name").isTrue();
        assertThat(r.spec().pool()).isEqualTo("cpu-32c");
        assertThat(r.spec().needs().cpuCores()).isEqualTo(1.0);
        assertThat(r.spec().maxBatch()).isEqualTo(2);
        // the measured figures are the entry's, read back as written
        Matcher m = Pattern.compile("latency: \\{base: ([0-9.]+)ms, perItem: ([0-9.]+)ms}").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        assertThat(r.spec().profiles().get("cpu-32c").baseSeconds()).isCloseTo(Double.parseDouble(m.group(1)) / 1000, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.spec().profiles().get("cpu-32c").perItemSeconds()).isCloseTo(Double.parseDouble(m.group(2)) / 1000, org.assertj.core.api.Assertions.within(1e-12));
        // the facts a catalog has no key for are comments
        assertThat(text).contains("# median latency per batch size").containsPattern("(?m)^#   1: [0-9.]+ms$").containsPattern("(?m)^# .*device cpu");
    }
}
