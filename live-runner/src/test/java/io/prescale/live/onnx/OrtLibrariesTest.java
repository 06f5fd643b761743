package io.prescale.live.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ONNX Runtime's libraries are copied once into a private cache folder, not into a new temp folder per start. */
class OrtLibrariesTest {
    private static final String DIR = "ai/onnxruntime/native/linux-x64/";

    @TempDir Path tmp;

    @Test
    void copiesTheLibrariesBesideTheOneNamedOnceAndReusesTheCheckedCopy() throws Exception {
        Path jar = jar(tmp.resolve("a.jar"), "lib one", "jni two");
        Path root = tmp.resolve("cache");
        Path dir = OrtLibraries.extract(url(jar), root);

        assertThat(dir.getParent()).isEqualTo(root);
        assertThat(dir.getFileName().toString()).startsWith("onnxruntime-linux-x64-");
        assertThat(Files.readString(dir.resolve("libonnxruntime.so"))).isEqualTo("lib one");
        assertThat(Files.readString(dir.resolve("libonnxruntime4j_jni.so"))).isEqualTo("jni two");
        // only the platform folder's own files: not a neighbour's subfolder, not another platform's
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("libonnxruntime.so", "libonnxruntime4j_jni.so");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");

        // a second start finds the checked copy and writes nothing
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(dir.resolve("libonnxruntime.so"), old);
        assertThat(OrtLibraries.extract(url(jar), root)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("libonnxruntime.so"))).isEqualTo(old);

        // a copy altered at the same size is written again
        Files.writeString(dir.resolve("libonnxruntime.so"), "lib 0ne");
        OrtLibraries.extract(url(jar), root);
        assertThat(Files.readString(dir.resolve("libonnxruntime.so"))).isEqualTo("lib one");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void anotherVersionOfTheLibrariesGetsItsOwnFolder() throws Exception {
        Path root = tmp.resolve("cache");
        Path a = OrtLibraries.extract(url(jar(tmp.resolve("a.jar"), "lib one", "jni two")), root);
        Path b = OrtLibraries.extract(url(jar(tmp.resolve("b.jar"), "lib ONE", "jni two")), root);
        assertThat(b).isNotEqualTo(a);
        assertThat(Files.readString(a.resolve("libonnxruntime.so"))).isEqualTo("lib one");
        assertThat(Files.readString(b.resolve("libonnxruntime.so"))).isEqualTo("lib ONE");
    }

    @Test
    void aCacheFolderOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> OrtLibraries.privateFolder(shared))
                .isInstanceOf(IOException.class).hasMessageContaining("may be written by other users");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> OrtLibraries.privateFolder(file)).isInstanceOf(IOException.class);
    }

    @Test
    void aLoadedReplicaRanOnTheCachedLibrariesNotATempCopy() throws Exception {
        Path model = tmp.resolve("affine.onnx");
        try (InputStream in = OrtLibrariesTest.class.getResourceAsStream("/onnx/affine.onnx")) {
            Files.copy(in, model);
        }
        try (OnnxReplica r = OnnxReplica.load(model, DeviceRequest.cpu(1))) {
            assertThat(r.signature().inputs()).isNotEmpty();
        }
        // set before ONNX Runtime first loaded (the replica's class does it), to the folder this build's tests use
        String dir = System.getProperty(OrtLibraries.PROPERTY);
        assertThat(dir).isNotNull();
        assertThat(Path.of(dir)).startsWith(OrtLibraries.cacheRoot());
        assertThat(Path.of(dir).resolve(System.mapLibraryName("onnxruntime"))).isRegularFile();
    }

    private static URL url(Path jar) throws Exception {
        return new URL("jar:" + jar.toUri() + "!/" + DIR + "libonnxruntime4j_jni.so");
    }

    private static Path jar(Path path, String lib, String jni) throws IOException {
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream j = new JarOutputStream(out)) {
            put(j, "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so", "arm");
            put(j, DIR + "libonnxruntime.so", lib);
            put(j, DIR + "libonnxruntime4j_jni.so", jni);
            put(j, DIR + "sub/notes.txt", "not a library of this folder");
        }
        return path;
    }

    private static void put(JarOutputStream j, String name, String text) throws IOException {
        j.putNextEntry(new JarEntry(name));
        j.write(text.getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
    }
}
