package io.prescale.simulator;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a picocli command quietly for a test: its exit code, the exception it ended with (if any), and what it printed. */
public final class CliRun {
    private CliRun() {}

    public record Result(int exit, Exception error, String output) {}

    public static Result run(Object command, String... args) {
        AtomicReference<Exception> thrown = new AtomicReference<>();
        CommandLine cmd = new CommandLine(command);
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            thrown.set(ex);
            return 2;
        });
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = cmd.execute(args);
            return new Result(code, thrown.get(), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
