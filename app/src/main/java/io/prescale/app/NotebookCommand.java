package io.prescale.app;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.RunDirs;
import io.prescale.core.text.Plural;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * {@code prescale notebook}: the analysis notebooks in {@code notebooks/} on a Java kernel (rapaio) with the
 * project on its classpath. Installs the kernel once (notebooks/setup-kernel.sh), writes a classpath jar whose
 * manifest lists this launcher's own classpath (each notebook's first cell {@code %jar}s it), then either starts
 * Jupyter on 127.0.0.1 or executes every notebook headless into a run folder, never touching the committed ones.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open the analysis notebooks (notebooks/*.ipynb) in Jupyter with a Java kernel, or run them headless.",
                "The first run installs Jupyter (Debian packages) and the kernel (Maven Central) via notebooks/setup-kernel.sh."})
public final class NotebookCommand implements Callable<Integer> {

    static final String KERNEL_DIR = ".kernel";
    static final String CLASSPATH_JAR = "lib/prescale-classpath.jar";

    @Option(names = "--execute", description = "Run every notebook (or the ones named) headless; stop with exit 1 at the first cell that fails.")
    boolean execute;

    @Parameters(paramLabel = "NOTEBOOK", arity = "0..*", description = "With --execute: only these notebooks (file names in notebooks/, .ipynb optional).")
    List<String> only = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "With --execute: folder for the executed copies and their HTML (default runs/notebooks/<utc>-<gitsha>/).")
    Path out;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "600", description = "With --execute: longest a cell may run (default ${DEFAULT-VALUE}).")
    int cellTimeout;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8888", description = "Port of the Jupyter server on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (cellTimeout < 1) throw new ConfigException("--cell-timeout", "must be >= 1 second");
        if (port < 0 || port > 65535) throw new ConfigException("--port", "must be in [0, 65535]");
        Path root = io.prescale.core.config.ProjectHome.root();
        Path notebooks = root.resolve("notebooks");
        Path kernel = notebooks.resolve(KERNEL_DIR);
        if (!Files.isDirectory(notebooks)) throw new IllegalStateException("no notebooks/ folder under " + root);
        if (execute) select(notebooks, only); // a misspelt name fails before a first run installs the kernel
        ensureKernel(notebooks, kernel);
        writeClasspathJar(kernel.resolve(CLASSPATH_JAR), classpath());
        Map<String, String> env = Map.of(
                "JUPYTER_PATH", prepend(kernel.resolve("jupyter").toString(), System.getenv("JUPYTER_PATH")),
                "PRESCALE_HOME", root.toString());
        return execute ? executeAll(root, notebooks, env) : serve(notebooks, env);
    }

    /** Runs setup-kernel.sh when the kernel spec is missing or was written for another checkout location. */
    static void ensureKernel(Path notebooks, Path kernel) throws IOException, InterruptedException {
        Path spec = kernel.resolve("jupyter/kernels/java/kernel.json");
        boolean ready = Files.isRegularFile(spec) && Files.readString(spec).contains(kernel.toString() + "/")
                && Files.isRegularFile(kernel.resolve("launcher/PrescaleKernel.class"));
        if (ready) return;
        System.err.println("Installing the Java kernel for Jupyter (once): notebooks/setup-kernel.sh ...");
        Process p = new ProcessBuilder("bash", notebooks.resolve("setup-kernel.sh").toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("notebooks/setup-kernel.sh failed (exit " + p.exitValue() + ")");
    }

    /** This JVM's classpath: the project's class folders and every jar they need. */
    static List<Path> classpath() {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            if (!e.isBlank()) out.add(Path.of(e).toAbsolutePath().normalize());
        return out;
    }

    /**
     * An empty jar whose manifest Class-Path names every entry (folders with a trailing slash): one {@code %jar}
     * in a notebook then puts the whole project on the kernel's classpath, where a %jar per entry would print
     * hundreds of lines, and the module class folders stay live (as in the launcher) rather than copied.
     */
    static void writeClasspathJar(Path jar, List<Path> entries) throws IOException {
        StringBuilder cp = new StringBuilder();
        for (Path e : entries) {
            if (!Files.exists(e)) continue;
            String uri = e.toUri().toString();
            if (Files.isDirectory(e) && !uri.endsWith("/")) uri += "/";
            if (cp.length() > 0) cp.append(' ');
            cp.append(uri);
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, cp.toString());
        Files.createDirectories(jar.getParent());
        Path tmp = Files.createTempFile(jar.getParent(), "classpath", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream ignored = new JarOutputStream(os, m)) {
            // the manifest is the whole content
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private int executeAll(Path root, Path notebooks, Map<String, String> env) throws IOException, InterruptedException {
        List<Path> todo = select(notebooks, only);
        Path dir = (out != null ? out : runDir(root, Instant.now())).toAbsolutePath();
        Files.createDirectories(dir);
        long all = System.nanoTime();
        for (Path nb : todo) {
            String name = nb.getFileName().toString();
            Path log = dir.resolve(name.replace(".ipynb", ".log"));
            long t0 = System.nanoTime();
            // nbconvert runs the kernel in the notebook's own folder, so relative paths in cells mean notebooks/
            int rc = run(env, log, "jupyter", "nbconvert", "--to", "notebook", "--execute", nb.toString(),
                    "--output-dir", dir.toString(), "--ExecutePreprocessor.timeout=" + cellTimeout,
                    "--ExecutePreprocessor.startup_timeout=120");
            double secs = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                System.out.printf(Locale.ROOT, "%-32s FAILED after %.1f s (log: %s)%n", name, secs, log);
                System.out.println(failureExcerpt(Files.readString(log)));
                return 1;
            }
            Path htmlLog = dir.resolve(name.replace(".ipynb", ".html.log"));
            if (run(env, htmlLog, "jupyter", "nbconvert", "--to", "html", dir.resolve(name).toString(), "--output-dir", dir.toString()) == 0)
                Files.delete(htmlLog);
            System.out.printf(Locale.ROOT, "%-32s ok in %.1f s%n", name, secs);
        }
        System.out.printf(Locale.ROOT, "%s executed in %.1f s: %s%n", Plural.count(todo.size(), "notebook", "notebooks"), (System.nanoTime() - all) / 1e9, dir);
        return 0;
    }

    private int serve(Path notebooks, Map<String, String> env) throws IOException, InterruptedException {
        System.err.println("Starting Jupyter on http://127.0.0.1:" + port + "/ (kernel 'Java (Prescale)'); Ctrl-C stops it.");
        ProcessBuilder pb = new ProcessBuilder(serveCommand(port, notebooks, runningAsRoot())).inheritIO();
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }

    /**
     * The Jupyter server's command line. As root (a container, a CI runner) Jupyter refuses to start unless told
     * {@code --allow-root} ("Running as root is not recommended"), which {@code prescale notebook} has no flag to pass on;
     * the server listens on 127.0.0.1 only, as for any other user.
     */
    static List<String> serveCommand(int port, Path notebooks, boolean root) {
        List<String> cmd = new ArrayList<>(List.of("jupyter", "notebook", "--ip=127.0.0.1", "--port=" + port, "--no-browser",
                "--notebook-dir=" + notebooks));
        if (root) cmd.add("--allow-root");
        return cmd;
    }

    static boolean runningAsRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (LinkageError e) { // not a Unix JDK
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The notebooks to execute, in name order; names given must exist. */
    static List<Path> select(Path notebooks, List<String> names) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(notebooks)) {
            all = s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        if (!names.isEmpty()) {
            List<Path> out = new ArrayList<>();
            for (String n : names) {
                Path p = notebooks.resolve(n.endsWith(".ipynb") ? n : n + ".ipynb");
                // a misspelt name says which there are, as an unknown policy or trace does
                if (!Files.isRegularFile(p))
                    throw new IllegalArgumentException("no notebook " + p.getFileName() + " in notebooks/ (there: "
                            + String.join(", ", all.stream().map(f -> f.getFileName().toString().replaceFirst("\\.ipynb$", "")).toList()) + ")");
                out.add(p);
            }
            return out;
        }
        if (all.isEmpty()) throw new IllegalStateException("no .ipynb files in notebooks/");
        return all;
    }

    /** The part of nbconvert's log that says which cell failed and why (it ends with the cell error). */
    static String failureExcerpt(String log) {
        int i = log.indexOf("CellExecutionError");
        if (i < 0) i = log.lastIndexOf("Error");
        String tail = i < 0 ? log : log.substring(i);
        String[] lines = tail.replaceAll("\u001B\\[[;\\d]*m", "").split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(lines.length, 30)));
    }

    private static int run(Map<String, String> env, Path log, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + cmd[0] + "' (is Jupyter installed? notebooks/setup-kernel.sh installs it): " + e.getMessage());
        }
    }

    private static String prepend(String first, String rest) {
        return rest == null || rest.isBlank() ? first : first + File.pathSeparator + rest;
    }

    /**
     * A new {@code runs/notebooks/<utc>-<sha>} folder for a run started at {@code time}: two runs in one second were given
     * one folder and wrote their executed notebooks over each other's; the second gets {@code -2} ({@link RunDirs#claim}).
     */
    static Path runDir(Path root, Instant time) {
        return RunDirs.claim(root.resolve("runs").resolve("notebooks"), RunDirs.name(time, System.getProperty("prescale.gitsha", "nogit")));
    }
}
