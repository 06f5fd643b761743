package io.prescale.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A multipart registration reads one 'spec' and one 'file' part: anything it would not read is refused, never dropped unseen. */
class UploadPartsTest {
    @TempDir
    Path dir;
    LiveHarness h;
    byte[] affine, ids;

    @BeforeEach
    void start() throws Exception {
        // the default floor on the body rate: the time the server takes to parse a body (a cold JVM's first multipart one
        // included) is not the sender's (BodyRateTest); it was turned off here when Jetty's floor counted it
        h = new LiveHarness(dir);
        affine = Files.readAllBytes(h.store.resolve("affine.onnx"));
        ids = Files.readAllBytes(h.store.resolve("ids.onnx"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** A multipart body of the given parts: {name, filename or null, bytes}. */
    private HttpResponse<String> send(Object[]... parts) {
        String b = "prescale-parts";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object[] p : parts) {
            String head = "--" + b + "\r\nContent-Disposition: form-data; name=\"" + p[0] + "\"" + (p[1] == null ? "" : "; filename=\"" + p[1] + "\"")
                    + "\r\n" + (p[1] == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            body.writeBytes((byte[]) p[2]);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return h.send(HttpRequest.newBuilder(URI.create(h.url("/models"))).header("Content-Type", "multipart/form-data; boundary=" + b)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static Object[] spec(String json) {
        return new Object[]{"spec", null, json.getBytes(StandardCharsets.UTF_8)};
    }

    private static Object[] file(String part, byte[] model) {
        return new Object[]{part, "m.onnx", model};
    }

    private void assertRefused(HttpResponse<String> r, String field, String... says) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        var body = new ObjectMapper().readTree(r.body());
        if (field != null) assertThat(body.path("field").asText()).as(r.body()).isEqualTo(field);
        for (String s : says) assertThat(body.path("error").asText()).as(r.body()).contains(s);
        for (String s : says) assertThat(body.path("error").asText()).contains(s);
        assertThat(h.runtime.registry().all()).isEmpty();
        assertThat(h.store.resolve("uploads/m.onnx")).doesNotExist();
    }

    @Test
    void aSpecNamingAFileAndAnUploadIsRefusedNamingFile() throws Exception {
        // the upload silently replaced the spec's file: which model was meant is not for the runner to guess
        assertRefused(send(spec("{\"name\":\"m\",\"file\":\"ids.onnx\"}"), file("file", affine)), "file", "given twice");
    }

    @Test
    void aSecondFilePartOrAnUnreadPartIsRefused() throws Exception {
        // the second file was dropped unseen
        assertRefused(send(spec("{\"name\":\"m\"}"), file("file", affine), file("file", ids)), null, "2 'file' parts");
        assertRefused(send(spec("{\"name\":\"m\"}"), file("file", affine), file("extra", ids)), null, "file part 'extra'");
        assertRefused(send(spec("{\"name\":\"m\"}"), file("file", affine), spec("{\"name\":\"n\"}")), null, "2 'spec' parts");
        assertRefused(send(spec("{\"name\":\"m\"}"), file("file", affine), new Object[]{"note", null, "x".getBytes()}), null, "part 'note'");
        // one of each is taken
        var ok = send(spec("{\"name\":\"m\"}"), file("file", affine));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }
}
