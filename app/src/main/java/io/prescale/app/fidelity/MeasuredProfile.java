package io.prescale.app.fidelity;

import io.prescale.live.cli.ProfileCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code prescale profile} measured for the served model on this machine (one replica): the fitted
 * {@code base + perItem × batch} service time, the load time and the median per batch size. The simulator's
 * model spec is built from it. {@code httpOverheadSeconds} is measured separately over the runner's HTTP API.
 */
public record MeasuredProfile(double baseSeconds, double perItemSeconds, double loadSeconds, int maxBatch,
                              Map<Integer, Double> medianBatchSeconds, String device, String yaml) {

    /** Runs {@code prescale profile} in this JVM on {@code file} (a path inside {@code store}). */
    public static MeasuredProfile measure(Path store, String file, int threads, int maxBatch, List<String> inputs, Path yamlOut) throws IOException {
        List<String> batches = new ArrayList<>();
        for (int b = 1; b <= maxBatch; b *= 2) batches.add(Integer.toString(b));
        if (maxBatch > 1 && !batches.contains(Integer.toString(maxBatch))) batches.add(Integer.toString(maxBatch));
        List<String> args = new ArrayList<>(List.of(file, "--model-store", store.toString(), "--threads", Integer.toString(threads),
                "--runs", "30", "--batches", String.join(",", batches), "--out", yamlOut.toString()));
        for (String in : inputs) args.addAll(List.of("--input", in));
        StringWriter err = new StringWriter();
        ProfileCommand command = new ProfileCommand();
        CommandLine cl = new CommandLine(command);
        cl.setErr(new PrintWriter(err));
        // the reason, not a stack trace: fidelity repeats it as its own one-line error
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = ex instanceof java.util.concurrent.ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
            cmd.getErr().println(t.getMessage() != null ? t.getMessage().lines().findFirst().orElse("") : t.toString());
            return 2;
        });
        cl.setOut(new PrintWriter(new StringWriter()));
        java.io.PrintStream stdout = System.out;
        int rc;
        try { // profile prints its YAML on System.out; here it goes to profile.yaml only
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            rc = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        ProfileCommand.Measured m = command.measured();
        if (rc != 0 || m == null || !Files.isRegularFile(yamlOut)) throw new IllegalStateException("profiling " + file + " failed: " + err.toString().strip());
        // the figures as measured (profile.yaml, a catalog entry, shows them to 0.1 us)
        return new MeasuredProfile(m.baseSeconds(), m.perItemSeconds(), m.loadSeconds(), m.maxBatch(), m.medianBatchSeconds(), m.device(), m.entry());
    }

    /** The same profile with every service time multiplied by {@code factor} (base and per-item alike). */
    public MeasuredProfile stretched(double factor) {
        if (!(factor > 0)) throw new IllegalArgumentException("factor must be > 0: " + factor);
        return factor == 1.0 ? this : new MeasuredProfile(baseSeconds * factor, perItemSeconds * factor, loadSeconds, maxBatch, medianBatchSeconds, device, yaml);
    }

    public double batchSeconds(int batch) {
        return baseSeconds + perItemSeconds * batch;
    }
}
