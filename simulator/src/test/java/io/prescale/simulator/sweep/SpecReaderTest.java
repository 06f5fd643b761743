package io.prescale.simulator.sweep;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The experiment reader is strict: every error names the path of the offending field. */
class SpecReaderTest {

    static ConfigException error(String yaml) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Expansion.scenarios(SpecReader.parse(yaml, Path.of("."))));
        assertThat(t).isInstanceOf(ConfigException.class);
        return (ConfigException) t;
    }

    static final String HEAD = "name: e\ntrace: synthetic\n";

    @Test
    void anUnknownParamNamesItsPath() {
        ConfigException e = error(HEAD + """
                policies:
                  - id: reactive.hpa
                  - id: oracle
                  - id: reactive.knative
                    params: {targetUtilization: 0.7, tolerance: 0.1}
                """);
        assertThat(e.path()).isEqualTo("policies[2].params.tolerance");
        assertThat(e.getMessage()).contains("unknown parameter", "targetConcurrency");
    }

    @Test
    void aMisspeltKeyGetsTheOneItWasMeantToBe() {
        assertThat(error(HEAD + "policies: [reactive.hpa]\nobjectve: {sloTarget: 0.99}\n").getMessage())
                .startsWith("objectve: unknown key, did you mean objective? (known: ");
        assertThat(error(HEAD + "policies: [reactive.hpa]\nobjective: {sloTarget: 0.99, confidnce: 0.95}\n").getMessage())
                .isEqualTo("objective.confidnce: unknown key, did you mean confidence? (known: minimize, sloTarget, confidence)");
        assertThat(error(HEAD + "policies: [{id: reactive.hpa, parms: {}}]\n").getMessage())
                .isEqualTo("policies[0].parms: unknown key, did you mean params? (known: id, params)");
        assertThat(error(HEAD + "policies: [{id: reactive.hpa, params: {targetUtilisation: 0.5}}]\n").getMessage())
                .startsWith("policies[0].params.targetUtilisation: unknown parameter, did you mean targetUtilization? (known: ");
    }

    @Test
    void aBadValueInAListNamesItsIndex() {
        ConfigException e = error(HEAD + "policies: [{id: reactive.hpa, params: {targetUtilization: [0.5, 1.5]}}]\n");
        assertThat(e.path()).isEqualTo("policies[0].params.targetUtilization[1]");
        assertThat(e.getMessage()).contains("(0, 1]");
    }

    @Test
    void aWrongTypeNamesItsPath() {
        ConfigException e = error(HEAD + "policies: [{id: reactive.ray-serve, params: {upscaleDelay: [30s, soon]}}]\n");
        assertThat(e.path()).isEqualTo("policies[0].params.upscaleDelay[1]");
    }

    @Test
    void aBareNumberForADurationIsRefusedNamingItsPath() {
        // scaleDownDelay: 30 ran as 30 s; 30 m may have been meant
        ConfigException e = error(HEAD + "policies: [{id: predictive.headroom, params: {scaleDownDelay: [30s, 30]}}]\n");
        assertThat(e.getMessage()).isEqualTo("policies[0].params.scaleDownDelay[1]: '30' has no unit: write 30s, 30m, 30h or 30d");
        e = error(HEAD + "policies: [{id: predictive.budget, params: {base: {scaleDownDelay: 120}}}]\n");
        assertThat(e.getMessage()).isEqualTo("policies[0].params.base.scaleDownDelay: '120' has no unit: write 120s, 120m, 120h or 120d");
        // the window's ends are offsets: "from: 36" is 36 s, 36 h or 36 d?
        e = error(HEAD + "from: 36\nto: 2d\npolicies: [oracle]\n");
        assertThat(e.getMessage()).isEqualTo("from: '36' has no unit: write 36s, 36m, 36h or 36d");
        e = error(HEAD + "windows: [{from: 1d, to: 2}]\npolicies: [oracle]\n");
        assertThat(e.getMessage()).isEqualTo("windows[0].to: '2' has no unit: write 2s, 2m, 2h or 2d");
    }

    @Test
    void unknownKeysAreErrorsAtEveryLevel() {
        assertThat(error(HEAD + "policies: [oracle]\nworkers: 4\n").path()).isEqualTo("workers");
        assertThat(error(HEAD + "policies: [{id: oracle, parms: {}}]\n").path()).isEqualTo("policies[0].parms");
        assertThat(error(HEAD + "objective: {minimise: gpuHours}\npolicies: [oracle]\n").path()).isEqualTo("objective.minimise");
        assertThat(error(HEAD + "windows: [{from: 1d, until: 2d}]\npolicies: [oracle]\n").path()).isEqualTo("windows[0].until");
    }

    @Test
    void badValuesOfTheContextAxesNameTheirIndex() {
        assertThat(error(HEAD + "sharing: [exclusive, shared]\npolicies: [oracle]\n").path()).isEqualTo("sharing[1]");
        assertThat(error(HEAD + "packer: [best-fit, worst-fit]\npolicies: [oracle]\n").getMessage()).startsWith("packer[1]").contains("load-aware");
        assertThat(error(HEAD + "consolidate: [false, yes please]\npolicies: [oracle]\n").getMessage()).startsWith("consolidate[1]").contains("true or false");
        assertThat(error(HEAD + "rateScale: [0.5, 0]\npolicies: [oracle]\n").path()).isEqualTo("rateScale[1]");
        // 1e999 reads as Infinity: a scale that thins and multiplies nothing (0 requests, yet a run)
        assertThat(error(HEAD + "rateScale: [0.5, 1e999]\npolicies: [oracle]\n").getMessage()).isEqualTo("rateScale[1]: must be a finite number > 0, got Infinity");
        assertThat(error(HEAD + "seed: [1, 2.5]\npolicies: [oracle]\n").path()).isEqualTo("seed[1]");
        assertThat(error(HEAD + "rateScale: []\npolicies: [oracle]\n").getMessage()).contains("rateScale", "empty list");
    }

    @Test
    void aWarmupRunsEachWindowUnscoredBeforeItsStart() {
        ExperimentSpec spec = SpecReader.parse(HEAD + "from: 2h\nwarmup: 30m\npolicies: [oracle]\n", Path.of("."));
        assertThat(spec.warmup()).isEqualTo("30m");
        var contexts = SweepRunner.prepare(spec, Expansion.scenarios(spec), java.util.Optional.empty(),
                id -> null /* preparing runs no policy */, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        // 2h into the trace, less the 30-minute warm-up
        assertThat(contexts.values()).singleElement().satisfies(c -> {
            assertThat(c.setup().from()).isEqualTo(7200.0);
            assertThat(c.setup().simulatedFrom()).isEqualTo(5400.0);
        });
        assertThat(error(HEAD + "warmup: soon\npolicies: [oracle]\n").path()).isEqualTo("warmup");
        assertThat(error(HEAD + "warmup: -5m\npolicies: [oracle]\n").path()).isEqualTo("warmup");
    }

    @Test
    void anUnknownPolicyListsTheKnownOnes() {
        ConfigException e = error(HEAD + "policies: [reactive.hpa, {id: reactive.nope}]\n");
        assertThat(e.path()).isEqualTo("policies[1].id");
        assertThat(e.getMessage()).contains("reactive.nope", "reactive.knative", "oracle");
    }

    @Test
    void theObjectiveIsChecked() {
        assertThat(error(HEAD + "objective: {minimize: latency}\npolicies: [oracle]\n").path()).isEqualTo("objective.minimize");
        assertThat(error(HEAD + "objective: {sloTarget: 99}\npolicies: [oracle]\n").path()).isEqualTo("objective.sloTarget");
        ExperimentSpec s = SpecReader.parse(HEAD + "policies: [oracle]\n", Path.of("."));
        assertThat(s.objective().text()).isEqualTo("least GPU-hours with SLO attainment >= 99 %");
        assertThat(s.objective().confidence()).isZero();
        assertThat(error(HEAD + "objective: {confidence: 0.8}\npolicies: [oracle]\n").path()).isEqualTo("objective.confidence");
        assertThat(SpecReader.parse(HEAD + "objective: {sloTarget: 0.99, confidence: 0.95}\npolicies: [oracle]\n", Path.of(".")).objective().confidence())
                .isEqualTo(0.95);
    }

    @Test
    void requiredKeysAndTheNameAreChecked() {
        assertThat(error("trace: synthetic\npolicies: [oracle]\n").path()).isEqualTo("name");
        assertThat(error("name: a b\ntrace: synthetic\npolicies: [oracle]\n").path()).isEqualTo("name");
        assertThat(error("name: e\npolicies: [oracle]\n").path()).isEqualTo("trace");
        assertThat(error(HEAD).path()).isEqualTo("policies");
        assertThat(error("schema: prescale.experiment/v2\n" + HEAD + "policies: [oracle]\n").path()).isEqualTo("schema");
    }

    @Test
    void aMissingFileAndBadYamlAreClear(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> SpecReader.read(tmp.resolve("nope.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml").hasMessageContaining("not found");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "name: e\npolicies: [oracle\n");
        assertThatThrownBy(() -> SpecReader.read(bad)).isInstanceOf(ConfigException.class)
                .hasMessage(bad + ": not valid YAML: line 3, column 1: expected ',' or ']', but got <stream end>");
        Files.writeString(bad, "schema: prescale.experiment/v1\nname: e\ntrace: synthetic\nwarmup: 10\npolicies: [oracle]\n");
        // was "warmup: want text, got 10", without the file
        assertThatThrownBy(() -> SpecReader.read(bad)).hasMessage(bad + ": warmup: '10' has no unit: write 10s, 10m, 10h or 10d");
    }
}
