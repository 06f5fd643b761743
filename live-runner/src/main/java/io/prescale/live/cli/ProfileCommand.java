package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import io.prescale.core.text.Plural;
import io.prescale.core.model.LatencyProfile;
import io.prescale.live.bench.InputSpec;
import io.prescale.live.onnx.DeviceRequest;
import io.prescale.live.onnx.NativeThreads;
import io.prescale.live.onnx.OnnxReplica;
import io.prescale.live.registry.ModelStore;
import io.prescale.live.serve.LatencyFit;
import io.prescale.live.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code prescale profile MODEL}: measures one replica's load time and service time per batch size on this
 * machine and writes them as a simulator catalog model entry ({@code latency: {base, perItem}}, {@code loadTime}),
 * which is how the simulator is calibrated against the live runner.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Measure a model's load time and latency per batch size; print (or --out) them as a simulator catalog model entry."},
        footer = {"", "Examples:",
                "  prescale profile bench/mlp-small.onnx",
                "  prescale profile silero-vad/silero_vad.onnx --input input=1,512 \\",
                "      --input state=2,1,128 --input sr=@16000",
                "Prints the load time and latency per batch size as a simulator catalog model entry (--out writes it to a file)."})
public final class ProfileCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX file: a path inside the model store, or any file's path")
    String model;

    @Option(names = "--model-store", paramLabel = "DIR", description = "folder MODEL is looked up in first (default: "
            + ProjectDefaults.MODEL_STORE + " " + ProjectDefaults.WHERE + ")")
    Path store;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "1,2,4,8,16", split = "\\s*,\\s*", splitSynopsisLabel = ",", description = "batch sizes to time (default ${DEFAULT-VALUE}); 1 only when the model cannot batch")
    List<Integer> batches;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "30", description = "timed runs per batch size (median kept; default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "intra-op threads of the replica (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--input", paramLabel = "NAME=D1,D2[@VALUE]", description = "name=d1,d2[@value]: shape of one request's input (the batch size replaces dimension 0); repeatable")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "write the catalog model entry here (default: print it)")
    Path out;

    @Option(names = "--match", paramLabel = "GLOB", description = "trace model name(s) the catalog entry is for (default: MODEL's file name without .onnx)")
    String match;

    @Option(names = "--pool", paramLabel = "ID", defaultValue = "cpu-32c",
            description = "catalog pool the entry's replicas run in (default ${DEFAULT-VALUE}, the shipped CPU pool)")
    String pool;

    /**
     * What a run measured: the fitted service time, the load time, the largest batch size timed, each size's median (by
     * batch size), the device, and the catalog entry printed.
     */
    public record Measured(double baseSeconds, double perItemSeconds, double loadSeconds, int maxBatch,
                           Map<Integer, Double> medianBatchSeconds, String device, String entry) {}

    private volatile Measured measured;

    /** What the last {@link #call} measured; null before one succeeded. */
    public Measured measured() {
        return measured;
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) throw new ConfigException("--runs", "must be >= 1");
        if (threads < 1 || threads > 256) throw new ConfigException("--threads", "must be in [1, 256]");
        for (int b : batches) if (b < 1 || b > 4096) throw new ConfigException("--batches", "sizes must be in [1, 4096]");
        // base + perItem x batch needs two sizes; one size alone (other than 1) would put everything in base
        if (batches.stream().distinct().count() == 1 && batches.get(0) != 1)
            throw new ConfigException("--batches", "give at least two sizes (e.g. 1," + batches.get(0) + ") to fit base + perItem x batch, or 1 alone");
        // a folder as --out failed only after every batch size had been timed
        if (out != null && Files.isDirectory(out)) throw new ConfigException("--out", out + " is a folder: give the catalog entry file's path");
        Path file = modelFile(model, store != null ? store : ProjectDefaults.modelStore());
        CompletableFuture<Measured> result = new CompletableFuture<>();
        NativeThreads.create(() -> {
            try {
                result.complete(profile(file));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "profile").start();
        Measured m;
        try {
            m = result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // a file that is not a model is the user's mistake: its reason, not "ModelLoadException: ... PRESCALE_DEBUG"
            if (e.getCause() instanceof io.prescale.live.onnx.ModelLoadException bad) throw new ConfigException("MODEL", bad.getMessage());
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
        String yaml = m.entry();
        measured = m;
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, yaml, StandardCharsets.UTF_8);
            System.out.println("wrote " + out);
        }
        System.out.print(yaml);
        return 0;
    }

    /**
     * MODEL in the model store, else the file at that path: profile only reads the model, so a file outside any
     * store will do (the store's rule against absolute paths and '..' guards what serve's clients register). The
     * store folder is never created here (it was, as an empty model-store/ in the working folder).
     */
    static Path modelFile(String model, Path store) {
        if (Files.isDirectory(store)) {
            try {
                return new ModelStore(store).resolve(model);
            } catch (ConfigException notInStore) {
                // an absolute path, '..', or a file the store lacks: tried as a path below
            }
        }
        Path direct;
        try {
            direct = Path.of(model);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException("MODEL", "not a valid path: " + model);
        }
        if (Files.isRegularFile(direct)) return direct;
        throw new ConfigException("MODEL", model + ": no such file" + (Files.isDirectory(store)
                ? " in the model store " + store + " nor from the working folder"
                : " (the model store " + store + " does not exist; --model-store DIR, or a file's path)"));
    }

    private Measured profile(Path file) throws Exception {
        long t0 = System.nanoTime();
        try (OnnxReplica r = OnnxReplica.load(file, DeviceRequest.cpu(threads))) {
            Map<String, Tensor> one = InputSpec.build(r.signature(), inputs, 1);
            List<String> guessed = InputSpec.guessed(r.signature(), inputs);
            if (!guessed.isEmpty())
                System.err.println("profile: open dimensions set to 1 for " + String.join(", ", guessed)
                        + ": the timing is for inputs that small; pass --input NAME=d1,d2,... with your requests' shapes");
            try {
                r.run(one);
            } catch (ai.onnxruntime.OrtException e) {
                throw new ConfigException("--input", "the model rejected the inputs profiled ("
                        + (guessed.isEmpty() ? "as given" : "open dimensions set to 1 for " + String.join(", ", guessed))
                        + "); give each input the shape your requests have. ONNX Runtime: " + e.getMessage());
            }
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            boolean batchable = r.signature().batchable();
            List<Integer> sizes = batchable ? batches : List.of(1);
            LatencyFit fit = new LatencyFit();
            StringBuilder measured = new StringBuilder();
            Map<Integer, Double> medians = new java.util.LinkedHashMap<>();
            for (int b : sizes) {
                Map<String, Tensor> in = withBatch(one, b);
                for (int i = 0; i < 3; i++) r.run(in);
                double[] t = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long s = System.nanoTime();
                    r.run(in);
                    t[i] = (System.nanoTime() - s) / 1e9;
                }
                Arrays.sort(t);
                double median = t[runs / 2];
                fit.record(b, median);
                medians.put(b, median);
                measured.append(String.format(Locale.ROOT, "    %d: %s%n", b, ms(median)));
            }
            LatencyProfile p = fit.profile().orElseThrow(() -> new IllegalStateException("no timing measured"));
            int maxBatch = sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
            String entry = entry(model, match != null ? match : defaultMatch(model), pool, threads, r.device(), Runtime.getRuntime().availableProcessors(),
                    Instant.now(), runs, measured.toString(), p, loadSeconds, maxBatch);
            return new Measured(p.baseSeconds(), p.perItemSeconds(), loadSeconds, maxBatch, java.util.Collections.unmodifiableMap(medians), r.device(), entry);
        }
    }

    /** The trace model name the entry is for by default: the file's name without its folder and {@code .onnx}. */
    static String defaultMatch(String model) {
        String name = Path.of(model).getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    }

    /**
     * A catalog model entry ({@code prescale.catalog/v1}, one item of its {@code models:} list) with what was measured; the
     * facts a catalog has no key for (device, the machine, each batch size's median) in comments, so the entry pastes
     * into a catalog as it is.
     */
    static String entry(String model, String match, String pool, int threads, String device, int cores, Instant at, int runs,
                        String medians, LatencyProfile p, double loadSeconds, int maxBatch) {
        return String.format(Locale.ROOT, """
                # prescale profile %s: one replica, %s on a %d-core machine, device %s, %s
                # median latency per batch size (%d timed runs each):
                %s# A catalog model entry (prescale.catalog/v1): paste it under a catalog's models: list. match is the
                # trace model name(s) it is for (a glob), pool a pool id of the catalog (--match, --pool), cpuCores the
                # replica's intra-op threads; maxBatch is the largest batch size timed.
                - match: %s
                  pool: %s
                  cpuCores: %d
                  latency: {base: %s, perItem: %s}
                  loadTime: %s
                  maxBatch: %d
                  source: %s
                """, model, Plural.count(threads, "intra-op thread", "intra-op threads"), cores, device, at, runs,
                medians.replaceAll("(?m)^ *", "#   "), yamlString(match), yamlString(pool), threads, ms(p.baseSeconds()), ms(p.perItemSeconds()),
                String.format(Locale.ROOT, "%.3fs", loadSeconds), maxBatch,
                yamlString("prescale profile " + model + ": " + Plural.count(threads, "intra-op thread", "intra-op threads") + ", device " + device
                        + ", median of " + runs + " runs per batch size, " + at));
    }

    /** A double-quoted YAML string. */
    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.4fms", seconds * 1000);
    }

    /** The one-request inputs repeated {@code b} times along dimension 0. */
    static Map<String, Tensor> withBatch(Map<String, Tensor> one, int b) {
        if (b == 1) return one;
        List<Map<String, Tensor>> copies = new ArrayList<>();
        for (int i = 0; i < b; i++) copies.add(one);
        return io.prescale.live.tensor.TensorBatching.concat(copies);
    }
}
