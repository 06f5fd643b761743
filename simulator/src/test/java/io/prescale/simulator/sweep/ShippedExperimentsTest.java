package io.prescale.simulator.sweep;

import io.prescale.core.config.PolicyFile;
import io.prescale.policies.PolicyCatalog;
import io.prescale.simulator.CliRun;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.cli.SweepCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every experiment file the project ships reads and expands (policy ids, params, sharing, packers) without error. */
class ShippedExperimentsTest {

    @Test
    void everyShippedExperimentExpands() throws IOException {
        Path dir = Path.of("..", "experiments");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("servegen.yaml", "alibaba-genai.yaml", "alibaba-genai-sharing.yaml", "nasa.yaml");
        for (Path f : files) {
            List<Scenario> scenarios = Expansion.scenarios(SpecReader.read(f));
            assertThat(scenarios).as(f.toString()).isNotEmpty();
        }
        // the sharing experiment runs each configuration under both packers, with and without consolidation
        List<Scenario> sharing = Expansion.scenarios(SpecReader.read(dir.resolve("alibaba-genai-sharing.yaml")));
        assertThat(sharing.stream().map(x -> x.context().packer().value()).distinct()).containsExactly("first-fit", "load-aware");
        assertThat(sharing.stream().map(x -> x.context().consolidate().value()).distinct()).containsExactly(false, true);
        // (4 HPA, Ray Serve, histogram, 6 + 8 + 8 + 4 predictive configurations, oracle) x 2 windows x 2 packers x 2 consolidation settings
        assertThat(sharing).hasSize(33 * 8);
    }

    /**
     * Every shipped experiment passes {@code sweep --dry-run} against the shared traces: its traces read, catalogs load,
     * and its windows and rate scales leave requests (what expansion alone does not see: a window past a trace's end).
     */
    @Test
    void everyShippedExperimentPassesADryRunOnTheSharedTraces() throws IOException {
        Path data = Path.of("..", "..", "shared", "datasets");
        assertThat(data.resolve("README.md")).as("the shared traces beside the project").exists();
        for (Path f : yamlIn(Path.of("..", "experiments"))) {
            CliRun.Result r = CliRun.run(new SweepCommand(), "--spec", f.toString(), "--data", data.toString(), "--dry-run");
            assertThat(r.exit()).as(f + ": " + r.error() + "\n" + r.output()).isZero();
            assertThat(r.output()).as(f.toString()).contains("(traces, catalogs and windows checked)");
        }
    }

    /** The catalogs and policy files the project ships load too (every duration in them has its unit). */
    @Test
    void everyShippedCatalogAndPolicyFileLoads() throws IOException {
        List<Path> catalogs = yamlIn(Path.of("..", "experiments", "catalogs"));
        assertThat(catalogs).extracting(p -> p.getFileName().toString()).contains("alibaba-genai-mixed.yaml", "servegen-capped.yaml");
        for (Path f : catalogs) assertThat(ModelCatalog.load(f).pools()).as(f.toString()).isNotEmpty();
        List<Path> policies = yamlIn(Path.of("..", "experiments", "policies"));
        assertThat(policies).extracting(p -> p.getFileName().toString()).contains("hpa-fidelity.yaml");
        for (Path f : policies) {
            PolicyFile p = PolicyFile.read(f);
            assertThat(PolicyCatalog.defaultsMerged(p.policy(), p.params())).as(f.toString()).isNotEmpty();
        }
    }

    private static List<Path> yamlIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
