package io.prescale.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotebookCommandTest {

    /** Tests run in app/; the notebooks sit beside it. */
    static final Path NOTEBOOKS = Path.of("..", "notebooks");

    static List<Path> committedNotebooks() throws IOException {
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            return s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    @Test
    void twoRunsStartedInOneSecondGetTwoFolders(@TempDir Path tmp) {
        java.time.Instant t = java.time.Instant.parse("2026-01-02T03:04:05.100Z");
        Path a = NotebookCommand.runDir(tmp, t), b = NotebookCommand.runDir(tmp, t.plusMillis(500));
        assertThat(a).isDirectory().isNotEqualTo(b);
        assertThat(b).isDirectory().hasFileName(a.getFileName() + "-2");
        assertThat(a.getParent()).isEqualTo(tmp.resolve("runs").resolve("notebooks"));
        assertThat(a.getFileName().toString()).startsWith("20260102T030405Z-");
    }

    @Test
    void committedNotebooksCarryNoOutputs() throws IOException {
        List<Path> notebooks = committedNotebooks();
        assertThat(notebooks).hasSizeGreaterThanOrEqualTo(4);
        List<String> dirty = new ArrayList<>();
        for (Path p : notebooks) {
            JsonNode nb = new ObjectMapper().readTree(p.toFile());
            int i = 0;
            for (JsonNode cell : nb.get("cells")) {
                i++;
                if (!cell.get("cell_type").asText().equals("code")) continue;
                if (cell.path("outputs").size() > 0 || !cell.path("execution_count").isNull())
                    dirty.add(p.getFileName() + " cell " + i);
            }
        }
        assertThat(dirty).as("cells committed with outputs (clear them: notebooks/strip-outputs.sh)").isEmpty();
    }

    @Test
    void everyNotebookRunsOnTheJavaKernelWithTheProjectClasspath() throws IOException {
        List<Path> notebooks = committedNotebooks();
        assertThat(notebooks).hasSizeGreaterThanOrEqualTo(4); // a wrong folder would check nothing
        for (Path p : notebooks) {
            JsonNode nb = new ObjectMapper().readTree(p.toFile());
            assertThat(nb.at("/metadata/kernelspec/name").asText()).as(p + " kernel").isEqualTo("java");
            JsonNode firstCode = null;
            for (JsonNode c : nb.get("cells")) if (c.get("cell_type").asText().equals("code")) { firstCode = c; break; }
            assertThat(firstCode).as(p + " has code").isNotNull();
            String src = firstCode.get("source").isArray() ? String.join("", toStrings(firstCode.get("source"))) : firstCode.get("source").asText();
            assertThat(src.trim()).as(p + " first code cell").isEqualTo("%jar " + NotebookCommand.KERNEL_DIR + "/" + NotebookCommand.CLASSPATH_JAR);
        }
    }

    private static List<String> toStrings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void classpathJarListsEveryExistingEntryFoldersWithATrailingSlash(@TempDir Path tmp) throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("mod/target/classes"));
        Path lib = Files.writeString(tmp.resolve("lib.jar"), "x");
        Path missing = tmp.resolve("gone.jar");
        Path jar = tmp.resolve("out/lib/prescale-classpath.jar");

        NotebookCommand.writeClasspathJar(jar, List.of(classes, lib, missing));

        try (JarFile j = new JarFile(jar.toFile())) {
            String cp = j.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            assertThat(cp.split(" ")).containsExactly(classes.toUri().toString(), lib.toUri().toString());
            assertThat(cp.split(" ")[0]).endsWith("/");
        }
    }

    @Test
    void selectsNamedNotebooksWithOrWithoutExtensionAndRejectsUnknownOnes(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("b.ipynb"), "{}");
        Files.writeString(tmp.resolve("a.ipynb"), "{}");
        Files.writeString(tmp.resolve("notes.md"), "");

        assertThat(NotebookCommand.select(tmp, List.of())).extracting(p -> p.getFileName().toString()).containsExactly("a.ipynb", "b.ipynb");
        assertThat(NotebookCommand.select(tmp, List.of("b"))).extracting(p -> p.getFileName().toString()).containsExactly("b.ipynb");
        assertThatThrownBy(() -> NotebookCommand.select(tmp, List.of("c"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no notebook c.ipynb in notebooks/ (there: a, b)");
    }

    @Test
    void failureExcerptStartsAtTheCellErrorWithoutColourCodes() {
        String log = "[NbConvertApp] Converting\nTraceback ...\nnbclient.exceptions.CellExecutionError: An error occurred\n"
                + "\u001B[0m\u001B[1m\u001B[31mjava.lang.IllegalStateException: boom\u001B[0m\n";

        String excerpt = NotebookCommand.failureExcerpt(log);

        assertThat(excerpt).startsWith("CellExecutionError").contains("java.lang.IllegalStateException: boom").doesNotContain("\u001B");
    }

    @Test
    void theServerStartsAsRootWhereJupyterWouldRefuse() {
        // as root, jupyter notebook 6 exits with "Running as root is not recommended. Use --allow-root to bypass."
        Path nb = Path.of("/p/notebooks");
        assertThat(NotebookCommand.serveCommand(8888, nb, true)).containsExactly("jupyter", "notebook", "--ip=127.0.0.1",
                "--port=8888", "--no-browser", "--notebook-dir=/p/notebooks", "--allow-root");
        assertThat(NotebookCommand.serveCommand(8888, nb, false)).doesNotContain("--allow-root").contains("--ip=127.0.0.1");
        assertThat(NotebookCommand.runningAsRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }
}
