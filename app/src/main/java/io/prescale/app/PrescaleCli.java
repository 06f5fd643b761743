package io.prescale.app;

import io.prescale.core.config.ConfigException;
import io.prescale.core.trace.TraceFormatException;
import io.prescale.datasets.cli.TracesCommand;
import io.prescale.simulator.cli.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** {@code prescale}: every job of Prescale as a subcommand. Errors print one clear line, not a stack trace. */
@Command(name = "prescale", mixinStandardHelpOptions = true, version = "prescale 0.1.0",
        description = "Predictive inference resource manager: simulate, forecast, serve.",
        footer = {"", "Start here ('prescale COMMAND --help' gives its options):",
                "  prescale traces                      the traces found: span, requests, models",
                "  prescale policies                    the policies and their parameters",
                "  prescale simulate --trace azure-llm  Azure LLM trace, 1 h, all policies",
                "  prescale simulate                    ServeGen, all policies (minutes)"},
        subcommands = {
                SimulateCommand.class,
                io.prescale.simulator.cli.SweepCommand.class,
                TracesCommand.class,
                io.prescale.simulator.cli.PoliciesCommand.class,
                io.prescale.live.cli.ServeCommand.class,
                io.prescale.live.cli.ReplayCommand.class,
                io.prescale.live.cli.ProfileCommand.class,
                io.prescale.live.cli.LiveHistoryCommand.class,
                io.prescale.app.fidelity.FidelityCommand.class,
                io.prescale.forecasting.spark.cli.ForecastCommand.class,
                NotebookCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class PrescaleCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return execute(null, null, args);
    }

    /** {@code out} and {@code err} (tests) replace picocli's standard streams when given. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new PrescaleCli());
        if (out != null) cl.setOut(out);
        if (err != null) cl.setErr(err);
        cl.setParameterExceptionHandler(PrescaleCli::badArguments);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // the full name: "prescale forecast backtest", not "prescale backtest"
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + describe(ex));
            if (System.getenv("PRESCALE_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * A mistyped command line (an unknown option or subcommand, a value of the wrong type, a missing required option):
     * the command's name and what is wrong, picocli's "did you mean" when it has one, and where the options are listed,
     * instead of the whole usage text (90 lines for simulate, with the error scrolled off above them).
     */
    static int badArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + name + " --help' for " + (cmd.getSubcommands().isEmpty() ? "the options." : "its commands."));
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** One line that says what went wrong, for the errors users cause. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t instanceof UncheckedIOException || t.getMessage() == null)) t = t.getCause();
        if (t instanceof TraceFormatException || t instanceof ConfigException) return t.getMessage();
        if (t instanceof NoSuchFileException n) return "no such file or folder: " + n.getFile();
        if (t instanceof java.nio.file.AccessDeniedException a) return "permission denied: " + a.getFile();
        if (t instanceof java.nio.file.FileAlreadyExistsException a) return "cannot create " + a.getFile() + ": something else is in the way (a file where a folder goes?)";
        if (t instanceof java.nio.file.NotDirectoryException a) return "not a folder: " + a.getFile();
        if (t instanceof java.nio.file.FileSystemException f) return "cannot use " + f.getFile() + (f.getReason() != null ? ": " + f.getReason() : "");
        // FileNotFoundException says "PATH (reason)": the reason may be "Is a directory" or "Permission denied"
        if (t instanceof FileNotFoundException) return "cannot open " + t.getMessage();
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) return t.getMessage();
        return t.getClass().getSimpleName() + ": " + t.getMessage() + " (set PRESCALE_DEBUG=1 for the stack trace)";
    }
}
