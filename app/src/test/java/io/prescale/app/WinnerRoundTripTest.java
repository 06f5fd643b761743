package io.prescale.app;

import io.prescale.core.config.PolicyFile;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.live.LiveRuntime;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.simulator.cli.SweepCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a sweep writes as winner.yaml is what the live runner loads: the file goes through the path {@code serve --policy}
 * takes (read, checked and built by the runner's control loop, stored, activated) and comes back from the policy store
 * equal, with the nested params and the forecaster the sweep ran with. Two hours of the built-in synthetic trace.
 */
class WinnerRoundTripTest {
    @TempDir
    Path dir;

    static final String SPEC = """
            schema: prescale.experiment/v1
            name: round-trip
            objective: {minimize: gpuHours, sloTarget: 0.5}
            trace: synthetic
            to: 2h
            rateScale: 0.25
            seed: 3
            policies:
              - {id: predictive.budget, params: {maxCostPerHour: 500, base: {maxUtilization: 0.8, tick: 20s}}}
              - oracle
            """;

    private int sweep(String... args) {
        PrintStream out = System.out, err = System.err;
        try {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            System.setOut(quiet);
            System.setErr(quiet);
            return new CommandLine(new SweepCommand()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theSweepsWinnerLoadsInTheLiveRunnerUnchanged() throws Exception {
        Path spec = Files.writeString(dir.resolve("round-trip.yaml"), SPEC);
        Path run = dir.resolve("run");
        int exit = sweep("--spec", spec.toString(), "--workers", "1", "--forecaster", "seasonal-naive", "--out", run.toString());
        assertThat(exit).isZero(); // the oracle cannot win: the budget policy, the only one that can, meets 50 %
        Path winner = run.resolve("winner.yaml");
        PolicyFile file = PolicyFile.read(winner);
        assertThat(file.policy()).isEqualTo("predictive.budget");
        assertThat(file.forecaster()).isEqualTo("seasonal-naive");

        Path store = Files.createDirectories(dir.resolve("store"));
        try (LiveRuntime live = LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.05, new CatalogPolicyFactory(),
                ForecasterChoice.DEFAULT::forPolicy, InstantSource.fixed(Instant.parse("2024-01-01T00:00:00Z"))))) {
            // as serve --policy does it: checked and built by the control loop, refused if it cannot run live, stored, activated
            var prepared = live.control().prepare(file);
            live.control().requireDeployable(file);
            live.storeAndActivate(prepared);
            assertThat(live.control().activeName()).contains("round-trip");
            // the swept nested field reached the policy the runner built: its control interval is base.tick
            assertThat(prepared.policy().controlInterval()).isEqualTo(Duration.ofSeconds(20));
            assertThat(prepared.forecaster().id()).isEqualTo("seasonal-naive");
            assertThat(live.policyStore().get("round-trip")).contains(file);
        }
    }
}
