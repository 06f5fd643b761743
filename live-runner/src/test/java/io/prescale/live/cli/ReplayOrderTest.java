package io.prescale.live.cli;

import com.sun.net.httpserver.HttpServer;
import io.prescale.core.trace.TraceReader;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.TraceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The order {@code prescale replay} sends a trace's arrivals in, and what it does before its clock starts. */
class ReplayOrderTest {

    @Test
    void countIntervalsOfSeveralModelsAreSentInTimeOrderNotOneModelAfterTheOther(@TempDir Path dir) throws Exception {
        // two models, two 60 s intervals of 30 arrivals each: the rows of one interval start come a's, then b's. Each row's
        // arrivals were sent as it was read, so b's 30 of 00:00 came due (and were sent, as a burst) only after a's last of
        // 00:00, near 00:01: every arrival of b lagged by up to an interval, and its latency, counted from its due time, with it
        Path trace = dir.resolve("two.csv");
        Files.writeString(trace, """
                interval_start,interval_s,model,count
                2024-01-01T00:00:00Z,60,a,30
                2024-01-01T00:00:00Z,60,b,30
                2024-01-01T00:01:00Z,60,a,30
                2024-01-01T00:01:00Z,60,b,30
                """);
        ReplayCommand cmd = new ReplayCommand();
        new CommandLine(cmd).parseArgs("--trace", "counts-csv:" + trace, "--map", "a=A,b=B");
        List<Instant> times = new ArrayList<>();
        Map<String, List<Instant>> byModel = new TreeMap<>();
        try (TraceReader reader = TraceFormat.byId("counts-csv").open(trace, ReadOptions.STRICT)) {
            boolean cut = cmd.arrivals(reader, Duration.ZERO, Duration.ofMinutes(2), new TreeMap<>(), new TreeMap<>(), (at, start, served) -> {
                assertThat(start).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
                times.add(at);
                byModel.computeIfAbsent(served, k -> new ArrayList<>()).add(at);
                return true;
            });
            assertThat(cut).isFalse();
        }
        List<Instant> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        assertThat(times).as("due times in the order sent").isEqualTo(sorted);
        // each model's arrivals are spread over both intervals (Poisson counts around 30 each: seeded, not all in one)
        for (String m : List.of("A", "B")) {
            List<Instant> t = byModel.get(m);
            assertThat(t).as(m).isNotEmpty();
            assertThat(t.get(0)).as(m + " first").isBefore(Instant.parse("2024-01-01T00:00:30Z"));
            assertThat(t.get(t.size() - 1)).as(m + " last").isAfter(Instant.parse("2024-01-01T00:01:30Z"));
        }
        // and the two are interleaved: some of B's come before some of A's of the same interval
        assertThat(byModel.get("B").get(0)).isBefore(byModel.get("A").get(byModel.get("A").size() / 4));
    }

    @Test
    void onlyTheWindowsPartOfAnIntervalLongerThanItIsSent(@TempDir Path dir) throws Exception {
        // hourly counts of 600: --duration 10m sent the whole first hour (about 600, over an hour of trace time), and
        // --from 30m skipped the interval it fell in, so the window [00:30, 01:30) got the second hour, all of it
        Path trace = dir.resolve("hourly.csv");
        Files.writeString(trace, """
                interval_start,interval_s,model,count
                2024-01-01T00:00:00Z,3600,a,600
                2024-01-01T01:00:00Z,3600,a,600
                """);
        ReplayCommand cmd = new ReplayCommand();
        new CommandLine(cmd).parseArgs("--trace", "counts-csv:" + trace, "--map", "a=A");
        for (Duration[] w : new Duration[][]{{Duration.ZERO, Duration.ofMinutes(10)}, {Duration.ofMinutes(30), Duration.ofHours(1)}}) {
            Instant from = Instant.parse("2024-01-01T00:00:00Z").plus(w[0]), to = from.plus(w[1]);
            List<Instant> sent = new ArrayList<>();
            try (TraceReader reader = TraceFormat.byId("counts-csv").open(trace, ReadOptions.STRICT)) {
                cmd.arrivals(reader, w[0], w[1], new TreeMap<>(), new TreeMap<>(), (at, start, served) -> sent.add(at));
            }
            assertThat(sent).as("window from %s for %s", w[0], w[1]).allMatch(t -> !t.isBefore(from) && t.isBefore(to));
            // 600 an hour: about 100 in 10 minutes (Poisson draws of 600 an interval, the window's share kept), about 300 from
            // each hour's half in the second window
            long expected = w[1].toMinutes() * 10;
            assertThat((double) sent.size()).as("window from %s for %s", w[0], w[1]).isBetween(expected * 0.7, expected * 1.3);
            assertThat(sent.get(0)).isBefore(from.plus(w[1].dividedBy(10)));
            assertThat(sent.get(sent.size() - 1)).isAfter(to.minus(w[1].dividedBy(10)));
        }
    }

    @Test
    void maxRequestsStopsTheTimeOrderedArrivals(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("r.csv");
        Files.writeString(trace, "timestamp,model\n2024-01-01T00:00:00Z,a\n2024-01-01T00:00:01Z,a\n2024-01-01T00:00:02Z,a\n");
        ReplayCommand cmd = new ReplayCommand();
        new CommandLine(cmd).parseArgs("--trace", "requests-csv:" + trace, "--map", "a=A");
        List<Instant> sent = new ArrayList<>();
        try (TraceReader reader = TraceFormat.byId("requests-csv").open(trace, ReadOptions.STRICT)) {
            assertThat(cmd.arrivals(reader, Duration.ZERO, Duration.ofMinutes(1), new TreeMap<>(), new TreeMap<>(),
                    (at, start, served) -> sent.size() < 2 && sent.add(at))).isTrue();
        }
        assertThat(sent).containsExactly(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:01Z"));
    }

    @Test
    void everyServedModelsMetadataIsReadBeforeTheFirstRequestIsSent(@TempDir Path dir) throws Exception {
        // model b's body was built at its first arrival, and the metadata fetch (a first HTTP client's start, hundreds of ms)
        // delayed b's first requests, counted as their latency: the tail of a 2-model replay was 0.7-1.1 s instead of ~5 ms
        Path trace = dir.resolve("r.csv");
        StringBuilder csv = new StringBuilder("timestamp,model\n");
        for (int i = 0; i < 20; i++) csv.append(String.format("2024-01-01T00:00:%02dZ,a%n", i));
        csv.append("2024-01-01T00:00:30Z,b\n");
        Files.writeString(trace, csv);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            log.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String body = path.equals("/models") ? "{\"models\":[]}"
                    : path.startsWith("/v2/models/") ? "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2]}]}" : "{}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        PrintStream stdout = System.out, stderr = System.err;
        int exit;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            exit = new CommandLine(new ReplayCommand()).execute("--trace", "requests-csv:" + trace, "--target",
                    "http://127.0.0.1:" + server.getAddress().getPort(), "--speed", "100", "--duration", "1m", "--map", "a=A,b=B",
                    "--connections", "2");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            server.stop(0);
        }
        assertThat(exit).isZero();
        List<String> calls = new ArrayList<>(log);
        assertThat(calls).filteredOn(c -> c.equals("POST /predict")).hasSize(21);
        int firstPost = calls.indexOf("POST /predict");
        assertThat(calls.subList(0, firstPost)).contains("GET /v2/models/A", "GET /v2/models/B");
    }

    @Test
    void aStoppedReplayPrintsAndWritesWhatWasAnsweredSoFar(@TempDir Path dir) throws Exception {
        // Ctrl-C (a TERM) mid-replay printed nothing and wrote no --out: the answers counted so far were lost. The stub
        // answers 3 requests, then holds the 4th until the stop's summary has run (no sleep: latches)
        Path trace = dir.resolve("r.csv");
        StringBuilder csv = new StringBuilder("timestamp,model\n");
        for (int i = 0; i < 6; i++) csv.append(String.format("2024-01-01T00:00:%02dZ,a%n", i));
        Files.writeString(trace, csv);
        java.util.concurrent.CountDownLatch fourth = new java.util.concurrent.CountDownLatch(1), release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger predicts = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            if (path.equals("/predict") && predicts.incrementAndGet() >= 4) {
                fourth.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = path.equals("/models") ? "{\"models\":[]}"
                    : path.startsWith("/v2/models/") ? "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2]}]}" : "{}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        Path out = dir.resolve("replay.json");
        ReplayCommand cmd = new ReplayCommand();
        List<Thread> hooks = Collections.synchronizedList(new ArrayList<>());
        cmd.shutdownHooks = hooks::add;
        cmd.removeShutdownHook = hooks::remove;
        PrintStream stdout = System.out, stderr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int[] exit = {-1};
        Thread replay;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            // one connection: the 4th request holds it, so no 5th is answered before the stop
            replay = new Thread(() -> exit[0] = new CommandLine(cmd).execute("--trace", "requests-csv:" + trace, "--target",
                    "http://127.0.0.1:" + server.getAddress().getPort(), "--speed", "1000", "--duration", "1m", "--map", "a=A",
                    "--connections", "1", "--out", out.toString()));
            replay.start();
            fourth.await();
            assertThat(hooks).hasSize(1);
            hooks.get(0).run(); // what the runtime runs on Ctrl-C
            String printed = buf.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("replay interrupted after ");
            assertThat(printed).containsPattern("(?m)^A +3 +3 +0 +0 +0 ");
            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
            assertThat(j.path("interrupted").asBoolean()).isTrue();
            assertThat(j.path("models").path("A").path("ok").asLong()).isEqualTo(3);
            release.countDown();
            replay.join();
        } finally {
            release.countDown();
            System.setOut(stdout);
            System.setErr(stderr);
            server.stop(0);
        }
        // the replay itself ran on, and left the summary to the stop (the process ends there)
        assertThat(exit[0]).isEqualTo(130);
        assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("replayed requests-csv");
    }

    @Test
    void aModelWithNoAnsweredRequestHasNoLatencyRatherThanZeroAndCutConnectionsAreNo5xx(@TempDir Path dir) throws Exception {
        // every request of B refused with 429: its p50/p95/p99 were printed and written as 0.00 ms, the best figure there is
        Path trace = dir.resolve("r.csv");
        StringBuilder csv = new StringBuilder("timestamp,model\n");
        for (int i = 0; i < 9; i++) csv.append(String.format("2024-01-01T00:00:%02dZ,%s%n", i, "abc".charAt(i % 3)));
        csv.append("2024-01-01T00:00:09Z\n"); // a row without its model: skipped with --skip-bad-rows, and said (it was not)
        Files.writeString(trace, csv);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            if (path.equals("/predict") && request.contains("\"model\":\"C\"")) { // no answer: the connection is cut
                ex.close();
                return;
            }
            int status = path.equals("/predict") && request.contains("\"model\":\"B\"") ? 429 : 200;
            String body = path.equals("/models") ? "{\"models\":[]}"
                    : path.startsWith("/v2/models/") ? "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2]}]}" : "{}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        Path out = dir.resolve("replay.json");
        PrintStream stdout = System.out, stderr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            exit = new CommandLine(new ReplayCommand()).execute("--trace", "requests-csv:" + trace, "--target",
                    "http://127.0.0.1:" + server.getAddress().getPort(), "--speed", "1000", "--duration", "1m", "--map", "a=A,b=B,c=C",
                    "--connections", "2", "--skip-bad-rows", "--out", out.toString());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            server.stop(0);
        }
        assertThat(exit).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^B +3 +0 +3 +0 +0 +0 +- +- +-$");
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertThat(j.path("models").path("B").path("p50Ms").isNull()).isTrue();
        assertThat(j.path("models").path("B").path("p99Ms").isNull()).isTrue();
        assertThat(j.path("models").path("A").path("p50Ms").isNumber()).isTrue();
        assertThat(j.path("models").path("A").path("ok").asLong()).isEqualTo(3);
        // C's connections were cut unanswered: no answer, not a 5xx (they were counted as 5xx, the runner blamed)
        assertThat(buf.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^C +3 +0 +0 +0 +0 +3 +- +- +-$");
        assertThat(j.path("models").path("C").path("serverErrors").asLong()).isZero();
        assertThat(j.path("models").path("C").path("noAnswer").asLong()).isEqualTo(3);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("skipped malformed trace rows (--skip-bad-rows): 1");
        assertThat(j.path("skippedRows").asLong()).isEqualTo(1);
    }

    @Test
    void aPortThatTakesTheConnectionButNeverAnswersIsAnErrorNotAHang(@TempDir Path dir) throws Exception {
        // the metadata read had no time limit: a hung runner (or another server that never answers) held the replay
        // before its first request, with no message, for good
        Path trace = dir.resolve("r.csv");
        Files.writeString(trace, "timestamp,model\n2024-01-01T00:00:00Z,a\n");
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ReplayCommand cmd = new ReplayCommand();
            cmd.answerTimeout = Duration.ofMillis(300); // the stub never answers: any limit ends it
            java.util.concurrent.atomic.AtomicReference<Exception> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            PrintStream stdout = System.out;
            int exit;
            try {
                System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                exit = new CommandLine(cmd).setExecutionExceptionHandler((ex, line, parsed) -> {
                    thrown.set(ex);
                    return 2;
                }).execute("--trace", "requests-csv:" + trace, "--target", "http://127.0.0.1:" + silent.getLocalPort(), "--map", "a=A");
            } finally {
                System.setOut(stdout);
            }
            assertThat(exit).isEqualTo(2);
            assertThat(thrown.get()).hasMessage("cannot reach http://127.0.0.1:" + silent.getLocalPort()
                    + ": it took the connection but sent no answer (timed out): is it a runner, and is it running?");
        }
    }

    @Test
    void afterOneArrivalWaitedInVainForRoomTheNextAreDroppedAtOnceUntilThereIsRoom() throws Exception {
        // every arrival waited 5 s for room on a full queue: with the runner hung mid-replay, the rest of a trace's
        // thousands of arrivals took hours, the replay apparently stuck
        List<Long> waits = new ArrayList<>();
        boolean[] room = {true, false, false, false, true, false, false};
        ReplayCommand.Room r = new ReplayCommand.Room(5_000_000_000L);
        List<Boolean> taken = new ArrayList<>();
        for (boolean free : room) taken.add(r.take(wait -> {
            waits.add(wait);
            return free;
        }));
        assertThat(taken).containsExactly(true, false, false, false, true, false, false);
        // the first full one waits 5 s; the two after it none; room again, and the next full one waits again
        assertThat(waits).containsExactly(5_000_000_000L, 5_000_000_000L, 0L, 0L, 0L, 5_000_000_000L, 0L);
    }
}
