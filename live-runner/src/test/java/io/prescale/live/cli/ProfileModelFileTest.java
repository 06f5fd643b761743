package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** prescale profile MODEL: the store first, then any file's path; the store folder is never made. */
class ProfileModelFileTest {

    @Test
    void aFileOutsideTheStoreIsProfiledWhereItIs(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("m.onnx"), "x");
        Path store = dir.resolve("model-store");
        // was: "file: must be a path inside the model store, not an absolute path", and an empty model-store/ made
        assertThat(ProfileCommand.modelFile(model.toString(), store)).isEqualTo(model);
        assertThat(store).doesNotExist();
    }

    @Test
    void theStoreComesFirst(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path inStore = Files.writeString(Files.createDirectories(store.resolve("vad")).resolve("m.onnx"), "x");
        assertThat(ProfileCommand.modelFile("vad/m.onnx", store)).isEqualTo(inStore.toRealPath());
    }

    @Test
    void aMissingModelNamesTheArgumentAndWhereItWasLookedFor(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("model-store");
        assertThatThrownBy(() -> ProfileCommand.modelFile("nope.onnx", store)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("MODEL").hasMessageContaining("nope.onnx: no such file")
                .hasMessageContaining("the model store " + store + " does not exist");
        Files.createDirectories(store);
        assertThatThrownBy(() -> ProfileCommand.modelFile("nope.onnx", store))
                .hasMessageContaining("no such file in the model store " + store + " nor from the working folder");
    }

    @Test
    void aFileThatIsNotAModelIsAOneLineErrorNamingTheArgument(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("notes.onnx"), "this is not a protobuf");
        java.util.concurrent.atomic.AtomicReference<Exception> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        int exit = new picocli.CommandLine(new ProfileCommand()).setExecutionExceptionHandler((ex, line, parsed) -> {
            thrown.set(ex);
            return 2;
        }).execute(junk.toString(), "--model-store", dir.resolve("store").toString());
        assertThat(exit).isEqualTo(2);
        // was ModelLoadException, which the launcher prints with its class name as an unexpected failure
        assertThat(thrown.get()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("MODEL: notes.onnx is not a model ONNX Runtime can load");
    }

    @Test
    void aFolderAsOutIsRefusedBeforeAnythingIsTimed(@TempDir Path dir) throws Exception {
        // it failed with "cannot use DIR: Is a directory" once every batch size had been timed: here the junk model file
        // would have been loaded first, and failed as not a model
        Path junk = Files.writeString(dir.resolve("notes.onnx"), "this is not a protobuf");
        java.util.concurrent.atomic.AtomicReference<Exception> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        int exit = new picocli.CommandLine(new ProfileCommand()).setExecutionExceptionHandler((ex, line, parsed) -> {
            thrown.set(ex);
            return 2;
        }).execute(junk.toString(), "--model-store", dir.resolve("store").toString(), "--out", dir.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(thrown.get()).isInstanceOf(ConfigException.class).hasMessage("--out: " + dir + " is a folder: give the catalog entry file's path");
    }
}
