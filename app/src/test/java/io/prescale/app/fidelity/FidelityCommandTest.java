package io.prescale.app.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prescale.datasets.SharedTraces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FidelityCommandTest {

    /** Two models, 60 s intervals: a 300 and b 120 requests in the first minute, 240 and 60 in the second, then a third minute outside the window. */
    static Path countsTrace(Path dir) throws IOException {
        Path f = dir.resolve("counts.csv");
        Files.writeString(f, """
                interval_start,interval_s,model,count,gap
                2024-01-01T00:00:00Z,60,a,300,0
                2024-01-01T00:00:00Z,60,b,120,0
                2024-01-01T00:01:00Z,60,a,240,0
                2024-01-01T00:01:00Z,60,b,60,0
                2024-01-01T00:02:00Z,60,a,999,0
                """);
        return f;
    }

    @Test
    void planCompressesTimeAndKeepsTheWindow(@TempDir Path dir) throws IOException {
        var src = SharedTraces.resolve("counts-csv:" + countsTrace(dir), (Path) null);
        ArrivalPlan plan = ArrivalPlan.read(src, Duration.ZERO, Duration.ofMinutes(2), 20, 1, new ModelMapping(Map.of(), 4), 10_000);
        // 120 s of trace at 20x = 6 s of wall time; every offset inside it, sorted
        assertThat(plan.wallSeconds()).isEqualTo(6.0);
        assertThat(plan.arrivals()).allSatisfy(a -> assertThat(a.offsetSeconds()).isBetween(0.0, 6.0));
        assertThat(plan.arrivals()).isSortedAccordingTo(java.util.Comparator.comparingDouble(ArrivalPlan.Arrival::offsetSeconds));
        // Poisson draws around 540 (a) and 180 (b): the third minute (999) stays out
        assertThat(plan.count("a")).isBetween(450L, 630L);
        assertThat(plan.count("b")).isBetween(130L, 230L);
        assertThat(plan.servedModels()).containsExactlyInAnyOrder("a", "b");
        // the simulator's workload holds exactly the same requests
        var w = plan.toWorkload(java.time.Instant.EPOCH);
        long n = 0;
        for (int i = 0; i < w.models().size(); i++) n += w.requests(i).size();
        assertThat(n).isEqualTo(plan.arrivals().size());
    }

    @Test
    void requestsCarryServiceTimesWithTheMeasuredSpread() {
        List<ArrivalPlan.Arrival> arrivals = new java.util.ArrayList<>();
        for (int i = 0; i < 40_000; i++) arrivals.add(new ArrivalPlan.Arrival(i * 0.001, i % 4 == 0 ? "b" : "a"));
        ArrivalPlan plan = new ArrivalPlan("t", arrivals, List.of("a", "b"), Map.of(), 40);
        var w = plan.toWorkload(java.time.Instant.EPOCH, Map.of("a", 0.006), 0.3, 7);
        int a = w.models().indexOf("a"), b = w.models().indexOf("b");
        float[] svc = w.requests(a).serviceSeconds();
        double sum = 0, sq = 0;
        for (float x : svc) { sum += x; sq += x * x; }
        double mean = sum / svc.length, cv = Math.sqrt(sq / svc.length - mean * mean) / mean;
        // 30,000 lognormal draws of mean 6 ms and CV 0.3: the sample mean within 1 %, the CV within 0.02
        assertThat(mean).isCloseTo(0.006, within(0.00006));
        assertThat(cv).isCloseTo(0.3, within(0.02));
        // a model without a mean keeps NaN: the simulator then uses its profile
        assertThat(Float.isNaN(w.requests(b).serviceSeconds()[0])).isTrue();
        // CV 0: every request exactly the mean
        assertThat(plan.toWorkload(java.time.Instant.EPOCH, Map.of("a", 0.006), 0, 7).requests(a).serviceSeconds()).containsOnly(0.006f);
    }

    @Test
    void alignedOverheadAddsQuantileByQuantile() {
        // simulated latency uniform on [2, 4] ms: p50 3.0, p95 3.9; overhead 1..1000 us, one each: p50 0.5, p95 0.95 ms
        double[][] sim = {{2.0, 0.0}, {4.0, 1.0}};
        org.HdrHistogram.Histogram over = new org.HdrHistogram.Histogram(3);
        for (int us = 1; us <= 1000; us++) over.recordValue(us);
        var r = OverheadConvolution.aligned(sim, over);
        assertThat(r.p50Ms()).isCloseTo(3.0 + 0.5, within(0.002));
        assertThat(r.p95Ms()).isCloseTo(3.9 + 0.95, within(0.002));
        // a sum of two quantile functions is a quantile function: the CDF stays ordered
        assertThat(r.cdf()).isSortedAccordingTo(java.util.Comparator.comparingDouble(p -> p[0]));
    }

    @Test
    void runTimeMeanAndSpreadComeFromTwoReadings() {
        // between the readings: 4 runs of 1, 2, 3, 6 ms -> sum 12 ms, squares 1 + 4 + 9 + 36 = 50 ms^2;
        // mean 3 ms, variance 50/4 - 9 = 3.5 ms^2, sd 1.8708 ms, CV 0.6236
        double[] before = {10, 0.020, 0.000050}, after = {14, 0.032, 0.000100};
        assertThat(FidelityCommand.meanRunBetween(before, after, 4, -1)).isCloseTo(0.003, within(1e-12));
        assertThat(FidelityCommand.runCvBetween(before, after, 4)).isCloseTo(Math.sqrt(3.5) / 3, within(1e-9));
        assertThat(FidelityCommand.meanRunBetween(before, after, 5, -1)).isEqualTo(-1); // too few runs: the fallback
        assertThat(FidelityCommand.runCvBetween(before, after, 5)).isZero();
    }

    @Test
    void mappingSendsEveryModelToOneWithAStar() {
        ModelMapping m = new ModelMapping(Map.of("*", "one"), 4);
        assertThat(m.apply("x")).isEqualTo("one");
        assertThat(new ModelMapping(Map.of("x", "y"), 4).apply("z")).isNull();
        ModelMapping auto = new ModelMapping(Map.of(), 1);
        assertThat(auto.apply("m/1")).isEqualTo("m_1");
        assertThatThrownBy(() -> auto.apply("other")).hasMessageContaining("--map");
    }

    /**
     * A real fidelity run: live runner on loopback with the bundled MLP, 2 trace minutes at 24x (5 s of replay). Warm-up
     * and calibration take 1 s and 2 s of load, not a real run's 5 s each: at about 144 req/s the calibration still
     * measures the service under load over hundreds of runs (50 are needed), and nothing checked here depends on more.
     */
    @Test
    void tinyRunSeesTheSameRequestsOnBothSides(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        FidelityCommand fidelity = new FidelityCommand();
        fidelity.warmupSeconds = 1;
        fidelity.calibrationSeconds = 2;
        int rc = new CommandLine(fidelity).execute("--trace", "counts-csv:" + countsTrace(dir), "--window", "2m",
                "--speed", "24", "--connections", "4", "--out", out.toString());
        assertThat(rc).isZero();
        JsonNode j = new ObjectMapper().readTree(out.resolve("fidelity.json").toFile());
        assertThat(j.path("profile").path("calibrationSeconds").asDouble()).isEqualTo(2.0);
        assertThat(j.path("profile").path("calibrationRequests").asLong()).isGreaterThanOrEqualTo(50);
        // measured under load: with fewer than 50 runs it falls back to the profile alone, a stretch of exactly 1
        assertThat(j.path("profile").path("serviceStretch").asDouble()).isNotEqualTo(1.0);
        long live = j.path("live").path("requests").asLong(), sim = j.path("sim").path("requests").asLong();
        assertThat(live).isBetween(580L, 860L);
        assertThat(sim).isEqualTo(live);
        assertThat(j.path("live").path("served").asLong() + j.path("live").path("rejected").asLong() + j.path("live").path("timedOut").asLong()
                + j.path("live").path("otherErrors").asLong()).isEqualTo(live);
        for (String side : new String[]{"live", "sim"})
            for (String f : new String[]{"p50Ms", "p95Ms", "p99Ms", "replicaHours", "served", "rejected"})
                assertThat(j.path(side).has(f)).as(side + "." + f).isTrue();
        for (String e : new String[]{"p50", "p95", "p99", "replicaHours"})
            assertThat(Double.isFinite(j.path("errors").path(e).asDouble(Double.NaN))).as("errors." + e).isTrue();
        // about one replica per model for 5 s on both sides: 2 x 5 s = 0.0028 h, give or take a scale-up
        assertThat(j.path("live").path("replicaHours").asDouble()).isBetween(0.002, 0.012);
        assertThat(j.path("profile").path("baseMs").asDouble()).isPositive();
        // the simulator's service is the profile stretched by the run time measured under load: stretch = loaded / alone
        double alone = j.path("profile").path("baseMs").asDouble() + j.path("profile").path("perItemMs").asDouble();
        assertThat(j.path("profile").path("serviceStretch").asDouble())
                .isCloseTo(j.path("profile").path("serviceUnderLoadMs").asDouble() / alone, within(1e-9));
        // the runner's Server-Timing reached the sender: server-side percentiles exist and sit below the client's
        assertThat(j.path("serverSide").path("liveP50Ms").asDouble()).isPositive()
                .isLessThanOrEqualTo(j.path("live").path("p50Ms").asDouble());
        assertThat(out.resolve("latency-cdf.png")).isNotEmptyFile();
        assertThat(Files.readString(out.resolve("report.html"))).contains("latency-cdf.png", "replica-h");
    }
}
