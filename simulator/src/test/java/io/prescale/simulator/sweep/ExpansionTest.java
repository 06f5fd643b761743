package io.prescale.simulator.sweep;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spec expansion: cartesian counts, order and unique labels. */
class ExpansionTest {
    static final Path BASE = Path.of("/base");

    static List<Scenario> expand(String yaml) {
        return Expansion.scenarios(SpecReader.parse(yaml, BASE));
    }

    static final String SERVEGEN = """
            schema: prescale.experiment/v1
            name: servegen-2d
            objective: {minimize: gpuHours, sloTarget: 0.99}
            trace: [servegen]
            from: 7d
            to: 9d
            rateScale: 0.02
            seed: 5
            sharing: [exclusive]
            policies:
              - id: reactive.hpa
                params: {targetUtilization: [0.5, 0.6, 0.7]}
              - id: reactive.knative
                params: {targetUtilization: [0.6, 0.7, 0.8]}
              - id: predictive.hybrid
                params: {quantile: [0.5, 0.9], maxUtilization: [0.85, 0.9]}
              - id: oracle
            """;

    @Test
    void aGridPastTheScenarioLimitIsRefusedBeforeItIsBuilt() {
        // 10 values each of 7 params: 10^7 scenarios, which once took minutes and gigabytes to list; 3 x 3 x 2 = 18 is fine
        String ten = "[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9]";
        String huge = SERVEGEN.replace("params: {quantile: [0.5, 0.9], maxUtilization: [0.85, 0.9]}",
                "params: {maxUtilization: " + ten + ", anchorSafety: [1.0, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06, 1.07, 1.08, 1.09], "
                        + "reactiveHeadroom: [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9], anomalyRatio: " + ten.replace("0.9]", "0.95]") + ", "
                        + "zeroBelowExpected: " + ten + ", backlogPerReplica: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], spareNodes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}");
        assertThatThrownBy(() -> expand(huge)).isInstanceOf(ConfigException.class)
                .hasMessage("experiment: expands to 10,000,007 scenarios; at most 20,000 (split it, or shorten its lists)");
        // 3 HPA + 3 Knative + 4 hybrid + 1 oracle = 11 without building them
        assertThat(Expansion.count(SpecReader.parse(SERVEGEN, BASE))).isEqualTo(11);
    }

    @Test
    void aNestedRecordsFieldsSweepUnderDottedKeysAndBindNested() {
        // predictive.budget's base (the headroom policy's params): 2 x 2 = 4 scenarios, labelled by dotted keys,
        // whose params are nested maps; a misspelt nested field is named by its whole path
        String yaml = """
                schema: prescale.experiment/v1
                name: budget
                objective: {minimize: gpuHours, sloTarget: 0.99}
                trace: synthetic
                policies:
                  - id: predictive.budget
                    params: {maxCostPerHour: [50, 100], base: {maxUtilization: [0.8, 0.9]}}
                """;
        List<Scenario> s = expand(yaml);
        assertThat(s).extracting(Scenario::label).containsExactly(
                "predictive.budget{maxCostPerHour=50,base.maxUtilization=0.8}", "predictive.budget{maxCostPerHour=50,base.maxUtilization=0.9}",
                "predictive.budget{maxCostPerHour=100,base.maxUtilization=0.8}", "predictive.budget{maxCostPerHour=100,base.maxUtilization=0.9}");
        assertThat(s.get(1).params()).containsEntry("maxCostPerHour", 50).containsEntry("base", java.util.Map.of("maxUtilization", 0.9));
        assertThatThrownBy(() -> expand(yaml.replace("maxUtilization: [", "maxUtilisation: [")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("policies[0].params.base.maxUtilisation");
    }

    @Test
    void policiesTimesParamsIsTheScenarioCount() {
        // 3 + 3 + 2*2 + 1 = 11, one context (every context axis has one value)
        List<Scenario> s = expand(SERVEGEN);
        assertThat(s).hasSize(11);
        assertThat(s).extracting(Scenario::label).containsExactly(
                "reactive.hpa{targetUtilization=0.5}", "reactive.hpa{targetUtilization=0.6}", "reactive.hpa{targetUtilization=0.7}",
                "reactive.knative{targetUtilization=0.6}", "reactive.knative{targetUtilization=0.7}", "reactive.knative{targetUtilization=0.8}",
                "predictive.hybrid{quantile=0.5,maxUtilization=0.85}", "predictive.hybrid{quantile=0.5,maxUtilization=0.9}",
                "predictive.hybrid{quantile=0.9,maxUtilization=0.85}", "predictive.hybrid{quantile=0.9,maxUtilization=0.9}",
                "oracle");
        assertThat(s).extracting(Scenario::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Scenario h = s.get(7);
        assertThat(h.policy()).isEqualTo("predictive.hybrid");
        assertThat(h.params()).containsEntry("quantile", 0.5).containsEntry("maxUtilization", 0.9).hasSize(2);
        assertThat(s.get(10).params()).isEmpty();
        assertThat(s).allSatisfy(x -> assertThat(x.context().rateScale().value()).isEqualTo(0.02));
        assertThat(s).allSatisfy(x -> assertThat(x.context().seed().value()).isEqualTo(5L));
    }

    @Test
    void contextAxesMultiplyAndOnlyTheVaryingOnesAppearInLabels() {
        // 2 traces x 2 sharing modes x 2 seeds = 8 contexts; x (2 hpa + 1 oracle) = 24 scenarios
        List<Scenario> s = expand("""
                name: grid
                trace: [servegen, synthetic]
                sharing: [exclusive, mps]
                seed: [1, 2]
                rateScale: 0.5
                policies:
                  - {id: reactive.hpa, params: {targetUtilization: [0.5, 0.7], tolerance: 0.05}}
                  - oracle
                """);
        assertThat(s).hasSize(24);
        assertThat(s.get(0).label()).isEqualTo("reactive.hpa{targetUtilization=0.5,tolerance=0.05} [trace=servegen, sharing=exclusive, seed=1]");
        assertThat(s.get(2).label()).isEqualTo("oracle [trace=servegen, sharing=exclusive, seed=1]");
        assertThat(s.get(3).label()).isEqualTo("reactive.hpa{targetUtilization=0.5,tolerance=0.05} [trace=servegen, sharing=exclusive, seed=2]");
        assertThat(s.get(23).label()).isEqualTo("oracle [trace=synthetic, sharing=mps, seed=2]");
        assertThat(s.stream().map(Scenario::label).distinct()).hasSize(24);
        // the arm (policy + params) is the same across contexts: that is what the winner is chosen by
        assertThat(s.stream().map(Scenario::arm).distinct()).containsExactly(
                "reactive.hpa{targetUtilization=0.5,tolerance=0.05}", "reactive.hpa{targetUtilization=0.7,tolerance=0.05}", "oracle");
        assertThat(s.stream().map(x -> x.context().key()).distinct()).hasSize(8);
    }

    @Test
    void packersAreAnAxisAfterSharing() {
        List<Scenario> s = expand("""
                name: p
                trace: synthetic
                sharing: mps
                packer: [first-fit, load-aware]
                policies: [oracle]
                """);
        assertThat(s).extracting(Scenario::label).containsExactly("oracle [packer=first-fit]", "oracle [packer=load-aware]");
        assertThat(s.get(1).context().packer().value()).isEqualTo("load-aware");
        assertThat(s.get(0).context().key()).isNotEqualTo(s.get(1).context().key());
    }

    @Test
    void consolidationIsAnAxisAfterThePacker() {
        List<Scenario> s = expand("""
                name: c
                trace: synthetic
                sharing: mps
                packer: [first-fit, load-aware]
                consolidate: [false, true]
                policies: [oracle]
                """);
        assertThat(s).extracting(Scenario::label).containsExactly("oracle [packer=first-fit, consolidate=false]",
                "oracle [packer=first-fit, consolidate=true]", "oracle [packer=load-aware, consolidate=false]",
                "oracle [packer=load-aware, consolidate=true]");
        assertThat(s).extracting(x -> x.context().consolidate().value()).containsExactly(false, true, false, true);
        assertThat(s.stream().map(x -> x.context().key()).distinct()).hasSize(4);
        // absent: one context, consolidation off, and no label suffix
        List<Scenario> plain = expand("name: d\ntrace: synthetic\npolicies: [oracle]\n");
        assertThat(plain).extracting(Scenario::label).containsExactly("oracle");
        assertThat(plain.get(0).context().consolidate().value()).isFalse();
    }

    @Test
    void windowsAreAnAxisToo() {
        List<Scenario> s = expand("""
                name: w
                trace: synthetic
                windows: [{from: 1d, to: 2d}, {from: 2d}]
                policies: [reactive.hpa]
                """);
        assertThat(s).extracting(Scenario::label).containsExactly("reactive.hpa [window=1d..2d]", "reactive.hpa [window=2d..end]");
    }

    @Test
    void aRepeatedScenarioIsAnErrorNamingTheEntry() {
        assertThatThrownBy(() -> expand("""
                name: dup
                trace: synthetic
                policies:
                  - {id: reactive.hpa, params: {targetUtilization: 0.6}}
                  - {id: reactive.hpa, params: {targetUtilization: [0.5, 0.6]}}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("policies[1]").hasMessageContaining("duplicate scenario reactive.hpa{targetUtilization=0.6}");
    }

    @Test
    void aListThatRepeatsAValueIsNamedByItsPath() {
        // was "experiment: duplicate scenario reactive.hpa [seed=1] (a list repeats a value)": which list?
        String base = "name: rep\ntrace: synthetic\npolicies: [reactive.hpa]\n";
        assertThatThrownBy(() -> expand(base + "seed: [1, 2, 1]\n")).isInstanceOf(ConfigException.class)
                .hasMessage("seed[2]: repeats seed[0] (1): every scenario of it would run twice");
        assertThatThrownBy(() -> expand(base + "rateScale: [1, 1.0]\n"))
                .hasMessage("rateScale[1]: repeats rateScale[0] (1): every scenario of it would run twice");
        assertThatThrownBy(() -> expand(base + "windows: [{from: 1d, to: 2d}, {from: 1d, to: 2d}]\n"))
                .hasMessage("windows[1]: repeats windows[0] (1d..2d): every scenario of it would run twice");
        assertThatThrownBy(() -> expand(base + "packer: [first-fit, load-aware, first-fit]\n"))
                .hasMessage("packer[2]: repeats packer[0] (first-fit): every scenario of it would run twice");
        // within one policy's param list: was "policies[0]: duplicate scenario ... (also from policies[0])"
        assertThatThrownBy(() -> expand(base.replace("[reactive.hpa]", "[{id: reactive.hpa, params: {minReplicas: [1, 2, 2]}}]")))
                .hasMessage("policies[0].params.minReplicas[2]: repeats policies[0].params.minReplicas[1] (2): every scenario of it would run twice");
    }

    @Test
    void twoCatalogsOfOneFileNameInTwoFoldersAreToldApartInTheLabels() {
        // both labelled "catalog=models.yaml": refused as "duplicate scenario ... (a list repeats a value)", which it did not
        List<Scenario> s = expand("""
                name: cats
                trace: synthetic
                catalog: [gpu-a/models.yaml, gpu-b/models.yaml, other.yaml]
                policies: [reactive.hpa]
                """);
        assertThat(s).extracting(Scenario::label).containsExactly("reactive.hpa [catalog=gpu-a/models.yaml]",
                "reactive.hpa [catalog=gpu-b/models.yaml]", "reactive.hpa [catalog=other.yaml]");
    }

    @Test
    void theSameConfigurationUnderTwoLabelsIsRefused() {
        // reactive.hpa's default targetUtilization is 0.6: both entries ran the same simulation, and tied
        assertThatThrownBy(() -> expand("""
                name: same
                trace: synthetic
                policies:
                  - reactive.hpa
                  - {id: reactive.hpa, params: {targetUtilization: 0.6}}
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("policies[1]: reactive.hpa{targetUtilization=0.6} is the same configuration as reactive.hpa (policies[0]) once its "
                        + "defaults are filled in: every scenario of it would run twice");
        // one duration written two ways
        assertThatThrownBy(() -> expand("""
                name: same
                trace: synthetic
                policies:
                  - {id: reactive.hpa, params: {syncPeriod: [15s, 0.25m]}}
                """)).hasMessageStartingWith("policies[0]: reactive.hpa{syncPeriod=0.25m} is the same configuration as reactive.hpa{syncPeriod=15s} (policies[0])");
        // different values of a param are different configurations
        assertThat(expand("name: ok\ntrace: synthetic\npolicies: [reactive.hpa, {id: reactive.hpa, params: {targetUtilization: 0.5}}]\n")).hasSize(2);
    }

    @Test
    void relativeTraceFilesResolveAgainstTheSpecFolder() {
        ExperimentSpec spec = SpecReader.parse("""
                name: f
                trace: [requests-csv:data/a.csv, servegen, counts-csv:/abs/b.csv]
                policies: [reactive.hpa]
                """, BASE);
        assertThat(spec.traces()).extracting(ExperimentSpec.At::value)
                .containsExactly("requests-csv:" + BASE.resolve("data/a.csv"), "servegen", "counts-csv:/abs/b.csv");
    }
}
