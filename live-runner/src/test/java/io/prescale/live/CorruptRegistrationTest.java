package io.prescale.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A registration on file that is not JSON a registration reads: named cleanly, and kept aside rather than overwritten. */
class CorruptRegistrationTest {
    @TempDir
    Path dir;

    @Test
    void aCorruptRegistrationIsNamedWithItsLineAndColumnAndKeptAsideFromALaterRegistration() throws Exception {
        Path models = dir.resolve("state/models");
        Files.createDirectories(models);
        String corrupt = "{\"name\":\"x0\",\n  \"file\": affine.onnx}\n"; // as a disk error or a hand edit can leave it
        Files.writeString(models.resolve("x0.json"), corrupt);
        try (LiveHarness h = new LiveHarness(dir)) {
            // was: "x0.json: Unrecognized token 'affine': ... at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`
            // disabled); line: 2, column: 23]", and the file stayed where a later POST /models x0 overwrote it unseen
            assertThat(h.runtime.restoreProblems()).singleElement().asString()
                    .startsWith("x0.json: line 2, column ")
                    .contains("Unrecognized token 'affine'")
                    .doesNotContain("Source", "REDACTED", "\n")
                    .endsWith("(kept aside as x0.json.corrupt: registering 'x0' again writes a new x0.json)");
            assertThat(models.resolve("x0.json")).doesNotExist();
            assertThat(models.resolve("x0.json.corrupt")).hasContent(corrupt);
            assertThat(h.post("/models", LiveHarness.register("x0", "affine.onnx", "")).statusCode()).isEqualTo(201);
            assertThat(models.resolve("x0.json.corrupt")).as("still there to look at").hasContent(corrupt);
        }
        // a field the record refuses reads as field: reason; a second corrupt file of the name does not replace the first
        Files.writeString(models.resolve("x0.json"), "{\"name\":\"x0\",\"file\":\"affine.onnx\",\"minReplicas\":-1}");
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.runtime.restoreProblems()).singleElement().asString()
                    .startsWith("x0.json: minReplicas: must be >= 0").contains("kept aside as x0.json.corrupt.2");
            assertThat(models.resolve("x0.json.corrupt")).hasContent(corrupt);
        }
    }

    @Test
    void aRegistrationThatIsJsonNullIsNamedAndKeptAsideNotAStartThatFails() throws Exception {
        Path models = dir.resolve("state/models");
        Files.createDirectories(models);
        Files.writeString(models.resolve("n0.json"), "null\n"); // Jackson reads it as no object at all: the start failed on a NullPointerException
        Files.writeString(models.resolve("ok.json"), "{\"name\":\"ok\",\"file\":\"affine.onnx\"}");
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.runtime.restoreProblems()).singleElement().asString()
                    .startsWith("n0.json: not a registration").contains("kept aside as n0.json.corrupt");
            assertThat(h.runtime.registry().get("ok")).isPresent();
        }
    }

    @Test
    void aRegistrationFiledUnderAnotherModelsNameIsKeptAsideNotServedUnderTheNameItHolds() throws Exception {
        // a.json saying "b" beside b.json: both were opened under "b", the second replacing the first in the registry with
        // its session and worker left running; and a DELETE of "b" removed b.json only, so "b" came back at the next start
        Path models = dir.resolve("state/models");
        Files.createDirectories(models);
        Files.writeString(models.resolve("a.json"), "{\"name\":\"b\",\"file\":\"affine.onnx\"}");
        Files.writeString(models.resolve("b.json"), "{\"name\":\"b\",\"file\":\"affine.onnx\"}");
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.runtime.restoreProblems()).singleElement().asString()
                    .startsWith("a.json: holds the registration of 'b', filed under another name")
                    .contains("kept aside as a.json.corrupt");
            assertThat(h.runtime.registry().all()).extracting(s -> s.name()).containsExactly("b");
            assertThat(io.prescale.live.onnx.OnnxReplica.openSessions(h.store.resolve("affine.onnx").toRealPath())).isEqualTo(1);
            assertThat(h.delete("/models/b").statusCode()).isEqualTo(200);
        }
        try (LiveHarness h = new LiveHarness(dir)) {
            assertThat(h.runtime.registry().all()).as("removed, and not back").isEmpty();
        }
    }
}
