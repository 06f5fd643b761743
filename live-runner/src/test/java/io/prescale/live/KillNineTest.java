package io.prescale.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real thing: {@code prescale serve} in its own JVM, SIGKILLed mid-work, restarted on the same state folder. */
class KillNineTest {
    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void nothingIsLostAfterKillNine() throws Exception {
        Path store = dir.resolve("store"), state = dir.resolve("state");
        LiveHarness.copyFixtures(store);
        Process first = serve(store, state);
        int port = port(first);
        assertThat(post(port, "/models", LiveHarness.register("affine", "affine.onnx", "\"minReplicas\":2,\"batching\":{\"maxBatch\":4}")).statusCode()).isEqualTo(201);
        // a model uploaded with its registration, not one already in the store: ids + 10
        byte[] ids = Files.readAllBytes(store.resolve("ids.onnx"));
        var uploaded = http.send(LiveHarness.upload("http://127.0.0.1:" + port + "/models", "{\"name\":\"sent\"}", ids), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(post(port, "/policies", "{\"name\":\"hpa\",\"policy\":\"reactive.hpa\",\"params\":{\"tolerance\":0.2}}").statusCode()).isEqualTo(201);
        assertThat(post(port, "/policies/hpa/activate", "").statusCode()).isEqualTo(200);
        assertThat(post(port, "/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}").statusCode()).isEqualTo(200);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);

        Process second = serve(store, state);
        try {
            int port2 = port(second);
            JsonNode model = json(get(port2, "/models/affine"));
            assertThat(model.path("replicas").path("min").asInt()).isEqualTo(2);
            assertThat(model.path("registration").path("batching").path("maxBatch").asInt()).isEqualTo(4);
            LiveHarness.await("two warm replicas", Duration.ofSeconds(30), () -> json(get(port2, "/models/affine")).path("replicas").path("ready").asInt() == 2);
            JsonNode policies = json(get(port2, "/policies"));
            assertThat(policies.path("active").asText()).isEqualTo("hpa");
            assertThat(json(get(port2, "/policies/hpa")).path("params").path("tolerance").asDouble()).isEqualTo(0.2);
            var r = post(port2, "/predict", "{\"model\":\"affine\",\"inputs\":{\"x\":{\"shape\":[1,4],\"data\":[1,2,3,4]}}}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).path("outputs").path("y").path("data").toString()).isEqualTo("[3.0,5.0,7.0,9.0]");
            var sent = post(port2, "/predict", "{\"model\":\"sent\",\"inputs\":{\"ids\":{\"shape\":[1,3],\"data\":[1,2,3]}}}");
            assertThat(json(sent).path("outputs").path("out").path("data").toString()).as(sent.body()).isEqualTo("[11,12,13]");
            assertThat(json(get(port2, "/models/sent")).path("file").asText()).isEqualTo("uploads/sent.onnx");
            try (var files = Files.list(state.resolve("models"))) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("affine.json", "sent.json");
            }
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPolicyGivenAtStartIsBackAfterKillNineAsAPostedOneIs() throws Exception {
        // serve --policy stores and activates through the path /policies takes: after kill -9 a start without --policy
        // resumes it, its file stored as the runner writes a posted one
        Path store = Files.createDirectories(dir.resolve("store")), state = dir.resolve("state");
        Path winner = Files.writeString(dir.resolve("winner.yaml"), "schema: prescale.policy/v1\nname: winner\npolicy: reactive.hpa\nparams: {tolerance: 0.3}\n");
        Process first = serve(store, state, "--policy", winner.toString());
        int port = port(first);
        assertThat(json(get(port, "/policies")).path("active").asText()).isEqualTo("winner");
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = serve(store, state);
        try {
            int port2 = port(second);
            assertThat(json(get(port2, "/policies")).path("active").asText()).isEqualTo("winner");
            assertThat(json(get(port2, "/policies/winner")).path("params").path("tolerance").asDouble()).isEqualTo(0.3);
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process serve(Path store, Path state, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "io.prescale.live.cli.ServeCommand",
                "--port", "0", "--state", state.toString(), "--model-store", store.toString(),
                "--cpu-threads", "8")); // the pool the models' replicas take, whatever cores this machine has
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Reads the serve banner for the port it bound (bounded wait). */
    private static int port(Process p) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    Matcher m = URL.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
                port.completeExceptionally(new AssertionError("serve exited without a banner"));
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return new ObjectMapper().readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }
}
