package io.prescale.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored policy file the runner cannot read (a disk error, a hand edit): the runner's own state, named as such. */
class CorruptPolicyFileTest {
    @TempDir
    Path dir;

    @Test
    void aStoredPolicyFileThatCannotBeReadIsTheRunnersFaultNamingTheFileNotTheClientsAndCanBeDeleted() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/policies", "{\"name\":\"good\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(201);
            Files.writeString(h.state.resolve("policies/bad.yaml"), "schema: prescale.policy/v1\nname: bad\npolicy: [\n");
            // was 400, a client's mistake, whose "field" gave the state folder's absolute path
            for (String path : new String[]{"/policies", "/policies/bad"}) {
                var r = h.get(path);
                assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(500);
                assertThat(r.body()).contains("policies/bad.yaml").contains("DELETE /policies/bad").doesNotContain(dir.toString());
            }
            assertThat(h.delete("/policies/bad").statusCode()).isEqualTo(200);
            assertThat(h.get("/policies").statusCode()).isEqualTo(200);
            // a PUT replaces one that no longer reads (200: it was stored), and a POST of its name is 409, not a 500
            Files.writeString(h.state.resolve("policies/bad.yaml"), "policy: [\n");
            assertThat(h.post("/policies", "{\"name\":\"bad\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(409);
            assertThat(h.put("/policies/bad", "{\"name\":\"bad\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(200);
            assertThat(h.get("/policies/bad").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anActivePolicyWhoseFileCannotBeReadLeavesARestartWithItsModelsAndNoPolicyNotNoRunner() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(h.post("/policies", "{\"name\":\"bad\",\"policy\":\"test.fixed\"}").statusCode()).isEqualTo(201);
            assertThat(h.post("/policies/bad/activate", "").statusCode()).isEqualTo(200);
        }
        Files.writeString(dir.resolve("state/policies/bad.yaml"), "schema: prescale.policy/v1\nname: bad\npolicy: [\n");
        // the start failed as a whole on the file's ConfigException: no model served until the file was mended by hand
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.runtime.registry().get("affine")).isPresent();
            assertThat(h.runtime.control().activeName()).isEmpty();
            assertThat(h.runtime.policyStore().active()).as("still recorded: mended, the next start resumes it").contains("bad");
        }
    }

    @Test
    void aStartThatFailsClosesWhatItRestored() throws Exception {
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.post("/models", LiveHarness.register("affine", "affine.onnx", "")).statusCode()).isEqualTo(201);
        }
        Files.writeString(dir.resolve("state/active-policy.yaml"), "active: [a, b]\n"); // names no policy: the start fails, naming it
        Path store = dir.resolve("store");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LiveRuntime.open(new LiveRuntime.Options(dir.resolve("state"), store, 0.04,
                        new TestPolicies(), id -> io.prescale.core.forecast.Forecaster.none(), new ManualClock(LiveHarness.START))))
                .hasMessageContaining("active-policy.yaml");
        // the model restored before the failure kept its session (and worker thread) open for the life of the process
        assertThat(io.prescale.live.onnx.OnnxReplica.openSessions(store.resolve("affine.onnx").toRealPath())).isZero();
    }
}
