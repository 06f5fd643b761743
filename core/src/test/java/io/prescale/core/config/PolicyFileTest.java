package io.prescale.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyFileTest {
    @Test
    void roundTripsThroughYaml(@TempDir Path dir) throws Exception {
        PolicyFile f = new PolicyFile(null, "winner", "reactive.hpa", Map.of("targetUtilization", 0.5), "least GPU-hours");
        f.write(dir.resolve("winner.yaml"));
        PolicyFile back = PolicyFile.read(dir.resolve("winner.yaml"));
        assertThat(back).isEqualTo(f);
        assertThat(back.schema()).isEqualTo(PolicyFile.SCHEMA);
        assertThat(back.forecaster()).isNull();
        assertThat(Files.readString(dir.resolve("winner.yaml"))).doesNotContain("forecaster"); // the default is not written
        // a sweep run with a trained forecaster names it, and it travels with the file
        PolicyFile g = new PolicyFile(null, "winner", "predictive.headroom", Map.of(), null, "gbt:artifact=models/gbt.json");
        g.write(dir.resolve("g.yaml"));
        assertThat(PolicyFile.read(dir.resolve("g.yaml")).forecaster()).isEqualTo("gbt:artifact=models/gbt.json");
    }

    @Test
    void badFilesNameTheField(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, "schema: prescale.policy/v1\nname: 'has space'\npolicy: reactive.hpa\n");
        assertThatThrownBy(() -> PolicyFile.read(p)).hasMessageContaining("name");
        Files.writeString(p, "schema: prescale.policy/v1\nname: w\npolicy: reactive.hpa\nsurprise: 1\n");
        // the keys there are, not Jackson's "Unrecognized field ... (class io.prescale...), not marked as ignorable"
        assertThatThrownBy(() -> PolicyFile.read(p)).isInstanceOf(ConfigException.class)
                .hasMessage(p + ": surprise: unknown key (known: forecaster, name, objective, params, policy, schema)");
        Files.writeString(p, "schema: prescale.policy/v1\nname: w\npolicy: reactive.hpa\nforcaster: holt-winters\n");
        assertThatThrownBy(() -> PolicyFile.read(p)).isInstanceOf(ConfigException.class)
                .hasMessage(p + ": forcaster: unknown key, did you mean forecaster? (known: forecaster, name, objective, params, policy, schema)");
        // the record's own checks read plainly, not as Jackson's "Cannot construct instance of ..."
        Files.writeString(p, "schema: prescale.policy/v1\nname: w\n");
        assertThatThrownBy(() -> PolicyFile.read(p)).isInstanceOf(ConfigException.class)
                .hasMessage(p + ": policy: missing (a policy id such as reactive.hpa)");
        Files.writeString(p, "name: .hidden\npolicy: reactive.hpa\n");
        assertThatThrownBy(() -> PolicyFile.read(p)).hasMessageStartingWith(p + ": name: use letters").hasMessageNotContaining("Cannot construct");
        // a value of the wrong kind: the field and the reason in words, not Jackson's "Cannot deserialize ..."
        Files.writeString(p, "schema: prescale.policy/v1\nname: w\npolicy: reactive.hpa\nparams: 7\n");
        assertThatThrownBy(() -> PolicyFile.read(p)).isInstanceOf(ConfigException.class)
                .hasMessage(p + ": params: want a map of fields");
    }

    @Test
    void anExperimentGivenAsAPolicyFileSaysWhatToDoWithIt(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("small.yaml");
        Files.writeString(p, "schema: prescale.experiment/v1\nname: small\nobjective: {minimize: gpuHours, sloTarget: 0.99}\npolicies: [oracle]\n");
        assertThatThrownBy(() -> PolicyFile.read(p)).isInstanceOf(ConfigException.class)
                .hasMessage(p + ": schema: an experiment, not a policy file (prescale.policy/v1): prescale sweep --spec " + p
                        + " writes the policy file, winner.yaml"); // was "objective: want text"
        Files.writeString(p, "");
        assertThatThrownBy(() -> PolicyFile.read(p)).hasMessage(p + ": empty, or not a mapping of schema, name, policy, params");
    }
}
