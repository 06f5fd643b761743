package io.prescale.policies;

import io.prescale.core.config.ConfigException;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.ModelObservation;
import io.prescale.core.policy.Observation;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.prescale.policies.PolicyFixtures.at;
import static io.prescale.policies.PolicyFixtures.context;
import static io.prescale.policies.PolicyFixtures.model;
import static io.prescale.policies.PolicyFixtures.oracle;
import static io.prescale.policies.PolicyFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every policy in the catalog keeps the same contract. */
class PolicyCatalogContractTest {
    static final List<ModelSpec> MODELS = List.of(spec("busy", 8, 40), spec("bursty", 4, 12), spec("idle", 16, 5));

    static Set<String> ids() {
        return PolicyCatalog.ids();
    }

    static PolicyContext ctx(String id) {
        // demand the oracle sees: "busy" follows a slow cycle, "bursty" has one burst, "idle" nothing
        return context(PolicyCatalog.needsOracle(id) ? Optional.of(oracle((m, t) -> switch (m) {
            case "busy" -> 100 + 80 * Math.sin(t / 600);
            case "bursty" -> t >= 1200 && t < 1500 ? 300 : 1;
            default -> 0;
        })) : Optional.empty());
    }

    /** Runs {@code ticks} control ticks; the cluster is taken to actuate each decision by the next tick. */
    static List<List<Decision>> script(Policy p, int ticks) {
        double dt = p.controlInterval().toNanos() / 1e9;
        int[] ready = new int[MODELS.size()];
        List<List<Decision>> out = new ArrayList<>();
        for (int k = 0; k < ticks; k++) {
            double t = k * dt;
            List<ModelObservation> obs = new ArrayList<>();
            for (int i = 0; i < MODELS.size(); i++) {
                double rate = i == 0 ? 100 + 80 * Math.sin(t / 600) : i == 1 ? (t >= 1200 && t < 1500 ? 300 : 1) : 0;
                long arrivals = Math.round(rate * dt);
                double conc = rate * 0.1;
                int queued = ready[i] == 0 ? (int) Math.min(arrivals, 50) : 0;
                double busy = ready[i] == 0 ? Double.NaN : Math.min(1, conc / (ready[i] * MODELS.get(i).maxBatch()));
                obs.add(model(MODELS.get(i), arrivals, queued, (int) Math.min(conc, 10), conc, busy, ready[i], 0));
            }
            List<Decision> ds = p.decide(at(t, dt, obs.toArray(new ModelObservation[0])));
            out.add(ds);
            for (Decision d : ds) {
                if (d instanceof Decision.ScaleModel s) {
                    for (int i = 0; i < MODELS.size(); i++) if (MODELS.get(i).id().equals(s.model())) ready[i] = s.replicas();
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("ids")
    void buildsWithDefaultsAndScalesEveryModelWithinItsBounds(String id) {
        Policy p = PolicyCatalog.create(id, Map.of(), ctx(id));
        assertThat(p.id()).isEqualTo(id);
        assertThat(p.controlInterval()).isPositive();
        int ticks = (int) Math.min(600, 3600 / (p.controlInterval().toNanos() / 1e9));
        for (List<Decision> ds : script(p, ticks)) {
            List<Decision.ScaleModel> scales = ds.stream().filter(d -> d instanceof Decision.ScaleModel)
                    .map(d -> (Decision.ScaleModel) d).toList();
            assertThat(scales).extracting(Decision.ScaleModel::model).containsExactly("busy", "bursty", "idle");
            for (int i = 0; i < scales.size(); i++) {
                assertThat(scales.get(i).replicas()).isBetween(MODELS.get(i).minReplicas(), MODELS.get(i).maxReplicas());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void twoInstancesMakeTheSameDecisions(String id) {
        List<List<Decision>> a = script(PolicyCatalog.create(id, Map.of(), ctx(id)), 400);
        List<List<Decision>> b = script(PolicyCatalog.create(id, Map.of(), ctx(id)), 400);
        assertThat(a).isEqualTo(b);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void anUnknownParameterNamesItsPath(String id) {
        assertThatThrownBy(() -> PolicyCatalog.create(id, Map.of("noSuchKnob", 1), ctx(id)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("params.noSuchKnob");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void defaultsRoundTripThroughTheBinder(String id) {
        Map<String, Object> d = PolicyCatalog.defaults(id);
        assertThat(d).isNotEmpty();
        assertThat(PolicyCatalog.defaultsMerged(id, d)).isEqualTo(d);
    }

    @Test
    void periodsThatWouldDivideByZeroMidRunAreRefusedAtBinding() {
        // a 0 s period once failed with "/ by zero" partway through a simulation
        assertThatThrownBy(() -> PolicyCatalog.defaultsMerged("predictive.sageserve-style", Map.of("period", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("params.period");
        assertThatThrownBy(() -> PolicyCatalog.defaultsMerged("predictive.aws-style", Map.of("forecastPeriod", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("params.forecastPeriod");
        assertThatThrownBy(() -> PolicyCatalog.defaultsMerged("predictive.aws-style", Map.of("preLaunch", "-5m")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("params.preLaunch");
    }

    @Test
    void aTickOrWindowThatIsNotPositiveIsRefusedNamingItsField() {
        // each was accepted: a 0 s tick failed at construction naming no field ("the control interval ... must be > 0"),
        // a 0 s static.peak peakWindow hung the run, a 0 s or negative Knative stable window sized every model for no
        // demand, and a hybrid-histogram range of 100000d over 1-minute bins allocated 144 M counters per model
        Object[][] cases = {
                {"reactive.knative", "stableWindow", "0s"}, {"reactive.knative", "stableWindow", "-5s"},
                {"reactive.knative", "tick", "0s"}, {"reactive.knative", "scaleToZeroGracePeriod", "-5s"},
                {"reactive.knative", "targetConcurrency", "Infinity"},
                {"reactive.ray-serve", "lookBackPeriod", "0s"}, {"reactive.ray-serve", "metricsInterval", "0s"},
                {"reactive.ray-serve", "upscaleDelay", "-5s"}, {"reactive.ray-serve", "downscaleDelay", "-5s"},
                {"reactive.ray-serve", "targetOngoingRequests", "Infinity"},
                {"reactive.hpa", "syncPeriod", "0s"}, {"keepalive.fixed", "tick", "0s"},
                {"keepalive.hybrid-histogram", "range", "100000d"}, {"keepalive.hybrid-histogram", "minSamples", -3},
                {"keepalive.hybrid-histogram", "maxOutOfRange", -1}, {"keepalive.hybrid-histogram", "minCv", "NaN"},
                {"keepalive.hybrid-histogram", "tick", "0s"},
                {"static.peak", "peakWindow", "0s"}, {"static.peak", "tick", "0s"}, {"oracle", "tick", "0s"},
                {"predictive.headroom", "tick", "0s"},
        };
        for (Object[] c : cases) {
            String field = (String) c[1];
            assertThatThrownBy(() -> PolicyCatalog.defaultsMerged((String) c[0], Map.of(field, c[2])))
                    .as("%s %s = %s", c[0], field, c[2])
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("params." + field + ": " + field);
        }
    }

    @Test
    void aBadValueNamesTheField() {
        assertThatThrownBy(() -> PolicyCatalog.create("reactive.hpa", Map.of("tolerance", 2), ctx("reactive.hpa")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("params")
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> PolicyCatalog.create("reactive.hpa", Map.of("targetUtilization", "abc"), ctx("reactive.hpa")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("params.targetUtilization");
        assertThatThrownBy(() -> PolicyCatalog.create("keepalive.fixed", Map.of("keepAlive", "soon"), ctx("keepalive.fixed")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("params.keepAlive");
    }

    @Test
    void overridesAreApplied() {
        Map<String, Object> merged = PolicyCatalog.defaultsMerged("reactive.hpa", Map.of("targetUtilization", 0.5, "scaleDownStabilization", "10m"));
        assertThat(merged).containsEntry("targetUtilization", 0.5).containsEntry("scaleDownStabilization", "10m");
    }

    @Test
    void anUnknownPolicyListsTheKnownOnes() {
        assertThatThrownBy(() -> PolicyCatalog.entry("reactive.nope"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("reactive.nope")
                .hasMessageContaining("reactive.hpa").hasMessageContaining("oracle");
    }

    @Test
    void theCatalogHoldsTheBaselinesOfTheArchitecture() {
        assertThat(PolicyCatalog.ids()).contains("static.peak", "reactive.hpa", "reactive.knative", "reactive.ray-serve",
                "keepalive.fixed", "keepalive.hybrid-histogram", "oracle");
        assertThat(PolicyCatalog.needsOracle("oracle")).isTrue();
        assertThat(PolicyCatalog.needsOracle("reactive.hpa")).isFalse();
    }

    @Test
    void aTypoIsAnsweredWithTheLikelyId() {
        assertThat(PolicyCatalog.closest("reactive.hpx")).contains("reactive.hpa");
        assertThat(PolicyCatalog.closest("Oracle")).contains("oracle");
        assertThat(PolicyCatalog.closest("predictive.headrom")).contains("predictive.headroom");
        assertThat(PolicyCatalog.closest("something.else")).isEmpty();
        assertThatThrownBy(() -> PolicyCatalog.entry("reactive.knativ")).hasMessageContaining("unknown policy 'reactive.knativ', did you mean reactive.knative?");
    }
}
