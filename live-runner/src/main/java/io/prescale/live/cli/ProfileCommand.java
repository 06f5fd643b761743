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
 * machine and writes them in the simulator's catalog form ({@code latency: {base, perItem}}, {@code loadTime}),
 * which is how the simulator is calibrated against the live runner.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Measure a model's load time and latency per batch size; print (or --out) the simulator's latency profile."})
public final class ProfileCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX file: a path inside the model store, or any file's path")
    String model;

    @Option(names = "--model-store", paramLabel = "DIR", description = "folder MODEL is looked up in first (default: "
            + ProjectDefaults.MODEL_STORE + " " + ProjectDefaults.WHERE + ")")
    Path store;

    @Option(names = "--batches", defaultValue = "1,2,4,8,16", split = "\\s*,\\s*", splitSynopsisLabel = ",", description = "batch sizes to time (default ${DEFAULT-VALUE}); 1 only when the model cannot batch")
    List<Integer> batches;

    @Option(names = "--runs", defaultValue = "30", description = "timed runs per batch size (median kept; default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--threads", defaultValue = "1", description = "intra-op threads of the replica (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--input", description = "name=d1,d2[@value]: shape of one request's input (the batch size replaces dimension 0); repeatable")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "write the profile YAML here (default: print it)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) throw new ConfigException("--runs", "must be >= 1");
        if (threads < 1 || threads > 256) throw new ConfigException("--threads", "must be in [1, 256]");
        for (int b : batches) if (b < 1 || b > 4096) throw new ConfigException("--batches", "sizes must be in [1, 4096]");
        // base + perItem x batch needs two sizes; one size alone (other than 1) would put everything in base
        if (batches.stream().distinct().count() == 1 && batches.get(0) != 1)
            throw new ConfigException("--batches", "give at least two sizes (e.g. 1," + batches.get(0) + ") to fit base + perItem x batch, or 1 alone");
        Path file = modelFile(model, store != null ? store : ProjectDefaults.modelStore());
        CompletableFuture<String> result = new CompletableFuture<>();
        NativeThreads.create(() -> {
            try {
                result.complete(profile(file));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "profile").start();
        String yaml;
        try {
            yaml = result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // a file that is not a model is the user's mistake: its reason, not "ModelLoadException: ... PRESCALE_DEBUG"
            if (e.getCause() instanceof io.prescale.live.onnx.ModelLoadException bad) throw new ConfigException("MODEL", bad.getMessage());
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
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

    private String profile(Path file) throws Exception {
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
                measured.append(String.format(Locale.ROOT, "    %d: %s%n", b, ms(median)));
            }
            LatencyProfile p = fit.profile().orElseThrow(() -> new IllegalStateException("no timing measured"));
            int maxBatch = sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
            return String.format(Locale.ROOT, """
                    # prescale profile %s: one replica, %s, %d cores, %s
                    # latency and loadTime go into a simulator catalog's model entry (prescale.catalog/v1)
                    model: %s
                    pool: cpu
                    device: %s
                    cpuThreads: %d
                    latency: {base: %s, perItem: %s}
                    loadTime: %s
                    maxBatch: %d
                    measured:
                      runsPerBatch: %d
                      medianBatchLatency:
                    %s""", model, Plural.count(threads, "intra-op thread", "intra-op threads"), Runtime.getRuntime().availableProcessors(), Instant.now(), model, r.device(), threads,
                    ms(p.baseSeconds()), ms(p.perItemSeconds()), String.format(Locale.ROOT, "%.3fs", loadSeconds), maxBatch, runs,
                    measured.toString().replaceAll("(?m)^", "  ").stripTrailing() + "\n");
        }
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
