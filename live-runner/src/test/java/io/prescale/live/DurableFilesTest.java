package io.prescale.live;

import io.prescale.live.registry.ModelStore;
import io.prescale.live.state.DurableFiles;
import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeReplacesWholeAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("a/b.json");
        DurableFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        DurableFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(f)).isEqualTo("two");
        try (var s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("b.json");
        }
        assertThat(DurableFiles.delete(f)).isTrue();
        assertThat(DurableFiles.delete(f)).isFalse();
    }

    @Test
    void modelStoreRefusesPathsThatLeaveIt() throws Exception {
        Path root = dir.resolve("store");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/m.onnx"), "x");
        Files.writeString(dir.resolve("secret.onnx"), "x");
        Files.createSymbolicLink(root.resolve("link.onnx"), dir.resolve("secret.onnx"));
        ModelStore store = new ModelStore(root);
        assertThat(store.resolve("sub/m.onnx")).isEqualTo(root.toRealPath().resolve("sub/m.onnx"));
        assertThatThrownBy(() -> store.resolve("../secret.onnx")).isInstanceOf(ConfigException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> store.resolve("sub/../../secret.onnx")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> store.resolve(dir.resolve("secret.onnx").toString())).hasMessageContaining("absolute");
        assertThatThrownBy(() -> store.resolve("link.onnx")).hasMessageContaining("outside");
        assertThatThrownBy(() -> store.resolve("sub")).hasMessageContaining("no such file");
    }
}
