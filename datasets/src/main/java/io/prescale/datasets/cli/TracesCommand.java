package io.prescale.datasets.cli;

import io.prescale.core.trace.TraceFormatException;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceCatalog;
import io.prescale.datasets.TraceManifest;
import io.prescale.datasets.TraceSummary;
import io.prescale.core.text.Plural;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code prescale traces}: the shared traces (and any --trace) with size, span, records, requests, models. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = {"List the traces found in the data folder, plus the built-in synthetic one.",
                "Each with size, time span, records, requests and models. Relative traces (ServeGen, Mooncake) start at 1970-01-01."},
        footer = {"", "Formats for --trace FORMAT:PATH: " + "servegen, servegen-clients, alibaba-genai, azure-llm, mooncake, nasa, requests-csv, counts-csv",
                "", "Examples (the second checks your own trace: span, counts per model, or file:line of a bad row):",
                "  prescale traces", "  prescale traces --trace requests-csv:my.csv"})
public final class TracesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Shared data folder (default: $PRESCALE_DATA, else ../shared/datasets beside the project).")
    Path data;

    @Option(names = "--trace", paramLabel = "SPEC",
            description = "Summarise these traces instead (NAME or FORMAT:PATH), with a line per model. Repeatable.")
    List<String> traces = new ArrayList<>();

    @Option(names = "--verify", description = "Also check every shared file's sha256 against the shipped manifest.")
    boolean verify;

    @Option(names = "--skip-bad-rows", description = "Skip and count malformed rows instead of stopping at the first.")
    boolean skipBadRows;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path root = io.prescale.core.config.ProjectHome.root();
            Optional<Path> dataDir = SharedTraces.findDataDir(Optional.ofNullable(data), root);
            ReadOptions options = new ReadOptions(skipBadRows);
            if (!traces.isEmpty()) {
                for (String t : traces) printDetail(out, TraceCatalog.summarize(SharedTraces.resolve(t, dataDir), options));
                return 0;
            }
            out.println(dataDir.map(d -> "data folder: " + d)
                    .orElse("no shared data folder found (use --data DIR or PRESCALE_DATA): only the synthetic trace is available"));
            List<String> missing = new ArrayList<>();
            for (String name : TraceManifest.NAMES) if (dataDir.isPresent() && !TraceCatalog.isPresent(name, dataDir)) missing.add(name);
            printTable(out, TraceCatalog.summarizeShared(dataDir));
            if (!missing.isEmpty()) out.println("not in the data folder: " + String.join(", ", missing));
            int problems = 0;
            if (verify) {
                int checked = 0;
                for (String name : TraceManifest.NAMES) {
                    if (dataDir.isEmpty() || missing.contains(name)) continue;
                    List<String> found = TraceManifest.forName(name).orElseThrow().verify(dataDir.get());
                    for (String p : found) err.println("verify: " + p);
                    problems += found.size();
                    checked++;
                }
                if (checked == 0) {
                    // nothing to compare is not a match
                    err.println("verify: no shared trace found to check (use --data DIR or PRESCALE_DATA)");
                    problems++;
                } else {
                    out.println(problems == 0 ? "sha256 of every file of the " + checked + " shared traces present matches its manifest"
                            : Plural.count(problems, "file differs", "files differ") + " from their manifest");
                }
            }
            out.flush();
            return problems == 0 ? 0 : 1;
        } catch (IllegalArgumentException | TraceFormatException | UncheckedIOException e) {
            err.println("prescale traces: " + e.getMessage()); // as every other command's error line starts
            err.flush();
            return 2;
        }
    }

    private static void printTable(PrintWriter out, List<TraceSummary> rows) {
        String format = "%-17s %-17s %5s %10s  %-20s %9s %10s %10s %6s %7s  %s%n";
        out.printf(Locale.ROOT, format, "name", "format", "files", "size", "start", "span", "records", "requests", "models", "gaps", "licence");
        for (TraceSummary s : rows) {
            String licence = TraceManifest.forName(s.id()).map(TraceManifest::licence).map(TracesCommand::shortLicence).orElse("generated");
            out.printf(Locale.ROOT, format, s.id(), s.format().id(), s.files(), bytes(s.bytes()), s.start().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), span(s.span()),
                    s.records(), count(s.requests()), s.models(), s.gapIntervals(), licence);
        }
    }

    private static void printDetail(PrintWriter out, TraceSummary s) {
        out.printf(Locale.ROOT, "%s (%s): %s, %s, %s .. %s (%s), %s, %s %s, %s%s%n",
                s.id(), s.format().id(), Plural.count(s.files(), "file", "files"), bytes(s.bytes()), s.start(), s.end(), span(s.span()),
                Plural.count(s.records(), "record", "records"), count(s.requests()),
                s.requests() == 1 ? "request" : "requests", // was "1 requests"
                Plural.count(s.gapIntervals(), "gap interval", "gap intervals"),
                s.skippedRows() > 0 ? ", " + Plural.count(s.skippedRows(), "malformed row", "malformed rows") + " skipped" : "");
        for (Map.Entry<String, Double> e : s.requestsByModel().entrySet())
            out.printf(Locale.ROOT, "  %-24s %12s%n", e.getKey(), count(e.getValue()));
    }

    private static String shortLicence(String licence) {
        int cut = licence.indexOf(" (");
        String s = cut > 0 ? licence.substring(0, cut) : licence;
        return s.length() > 45 ? s.substring(0, 42) + "..." : s;
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    static String count(double n) {
        if (n < 10_000) return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.1f", n);
        if (n < 10_000_000) return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        if (n < 1e9) return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        return String.format(Locale.ROOT, "%.2fG", n / 1e9);
    }

    static String span(Duration d) {
        long minutes = d.toMinutes();
        if (minutes >= 2 * 24 * 60) return String.format(Locale.ROOT, "%.1fd", d.toSeconds() / 86400.0);
        if (minutes >= 120) return String.format(Locale.ROOT, "%.1fh", d.toSeconds() / 3600.0);
        if (minutes >= 1) return String.format(Locale.ROOT, "%.1fmin", d.toMillis() / 60000.0);
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0); // a few requests: "2.3s", not "0.0min"
    }

}
