package io.prescale.datasets;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TraceManifestTest {
    static final Path SHARED = Path.of("../../shared/datasets");

    @Test
    void everySharedNameHasAWellFormedManifest() {
        for (String name : TraceManifest.NAMES) {
            TraceManifest m = TraceManifest.forName(name).orElseThrow();
            assertThat(m.name()).isEqualTo(name);
            assertThat(m.traceFormat().id()).isEqualTo(name);
            assertThat(m.files()).allSatisfy(f -> {
                assertThat(f.sha256()).matches("[0-9a-f]{64}");
                assertThat(f.rows()).isPositive();
            });
            assertThat(m.source().repo()).contains("/");
            assertThat(m.source().commit()).matches("[0-9a-f]{40}");
            assertThat(m.licence()).isNotBlank();
            assertThat(m.citation()).isNotBlank();
        }
        assertThat(TraceManifest.forName("synthetic")).isEmpty();
    }

    @Test
    void manifestsAgreeWithThePROVENANCEFilesAndTheData() throws Exception {
        assumeTrue(Files.isDirectory(SHARED), "shared datasets not present beside the project");
        for (String name : TraceManifest.NAMES) {
            TraceManifest m = TraceManifest.forName(name).orElseThrow();
            String provenance = Files.readString(SHARED.resolve(m.folder()).resolve("PROVENANCE.md"));
            assertThat(provenance).as("%s PROVENANCE names the repo and commit", name)
                    .contains(m.source().repo()).contains(m.source().commit());
            for (TraceManifest.ManifestFile f : m.files()) {
                assertThat(provenance).contains(f.name());
                if (!name.startsWith("servegen")) assertThat(provenance).as("%s sha256", f.name()).contains(f.sha256());
            }
            assertThat(m.verify(SHARED)).as("files of %s match their sha256", name).isEmpty();
        }
    }
}
