package io.prescale.datasets;

import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.core.trace.TraceRecord.Request;
import io.prescale.datasets.SyntheticTraceGenerator.Config;
import io.prescale.datasets.SyntheticTraceGenerator.ModelProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticTraceGeneratorTest {

    private static List<TraceRecord> counts(long seed) {
        return Fixtures.readAll(new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(seed)).intervalCounts());
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnotherOne() {
        List<TraceRecord> a = counts(7);
        assertThat(a).hasSize(4 * 14 * 288).isEqualTo(counts(7));
        assertThat(a).isNotEqualTo(counts(8));
        assertThat(new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(7)).bursts())
                .isEqualTo(new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(7)).bursts());
    }

    @Test
    void countsFollowTheDailyAndWeeklyCycles() {
        // noiseless, burstless single model: rate = 10 x (1 + 0.5 cos(2 pi (h - 12) / 24)) x (0.6 on weekends)
        Config c = new Config(1, SyntheticTraceGenerator.DEFAULT_START, Duration.ofDays(7), Duration.ofHours(1),
                List.of(new ModelProfile("m", 10, 0.5, 12, 0.4, 0, 1, 10, 10)), 0);
        SyntheticTraceGenerator g = new SyntheticTraceGenerator(c);
        Map<Instant, Double> byHour = new HashMap<>();
        for (TraceRecord r : Fixtures.readAll(g.intervalCounts())) byHour.put(r.time(), ((IntervalCount) r).count());
        Instant monday = SyntheticTraceGenerator.DEFAULT_START;
        // Monday 11:00-12:00, middle 11:30: 10 x (1 + 0.5 cos(-pi/24)) x 3600 = 53,846 (rounded)
        assertThat(byHour.get(monday.plusSeconds(11 * 3600))).isCloseTo(Math.round(36000 * (1 + 0.5 * Math.cos(-Math.PI / 24))), within(0.0));
        // Monday 23:00-24:00, middle 23:30: 10 x (1 + 0.5 cos(2 pi 11.5 / 24)) x 3600
        assertThat(byHour.get(monday.plusSeconds(23 * 3600))).isCloseTo(Math.round(36000 * (1 + 0.5 * Math.cos(2 * Math.PI * 11.5 / 24))), within(0.0));
        // Saturday noon hour = 0.6 x Monday noon hour
        Instant saturday = monday.plus(Duration.ofDays(5));
        assertThat(saturday.atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(byHour.get(saturday.plusSeconds(11 * 3600))).isCloseTo(0.6 * byHour.get(monday.plusSeconds(11 * 3600)), within(1.0));
    }

    @Test
    void burstsRaiseTheRateWhileTheyLast() {
        SyntheticTraceGenerator g = new SyntheticTraceGenerator(SyntheticTraceGenerator.defaults(3));
        assertThat(g.bursts()).isNotEmpty();
        SyntheticTraceGenerator.Burst b = g.bursts().get(0);
        ModelProfile m = g.config().models().stream().filter(p -> p.model().equals(b.model())).findFirst().orElseThrow();
        Instant inside = b.start().plus(b.length().dividedBy(2));
        // the same time of day one week later (or earlier) has the same daily/weekly factor and no burst of its own
        // (checked, so the comparison below always runs: it was skipped whenever another burst covered that slot)
        Instant sameSlot = inside.plus(Duration.ofDays(7)).isBefore(g.config().start().plus(g.config().span()))
                ? inside.plus(Duration.ofDays(7)) : inside.minus(Duration.ofDays(7));
        assertThat(g.bursts()).noneMatch(x -> x.model().equals(b.model()) && x.covers(sameSlot));
        assertThat(g.rate(m, inside)).isCloseTo(b.multiplier() * g.rate(m, sameSlot), within(1e-9));
        assertThat(b.multiplier()).isBetween(1.5, 4.0);
        assertThat(b.length()).isBetween(Duration.ofMinutes(20), Duration.ofHours(3));
    }

    @Test
    void modelsHaveDifferentVolumes() {
        Map<String, Double> total = new HashMap<>();
        for (TraceRecord r : counts(5)) total.merge(r.model(), ((IntervalCount) r).count(), Double::sum);
        assertThat(total).containsOnlyKeys("chat-large", "code-mid", "embed-small", "image-gen");
        assertThat(total.get("embed-small")).isGreaterThan(total.get("chat-large"));
        assertThat(total.get("chat-large")).isGreaterThan(total.get("code-mid"));
        assertThat(total.get("code-mid")).isGreaterThan(total.get("image-gen"));
    }

    @Test
    void requestsExpandEachIntervalsCountInTimeOrder() {
        Config c = SyntheticTraceGenerator.defaults(11).withSpan(Duration.ofMinutes(10)).withInterval(Duration.ofMinutes(5));
        SyntheticTraceGenerator g = new SyntheticTraceGenerator(c);
        double expected = 0;
        for (TraceRecord r : Fixtures.readAll(g.intervalCounts())) expected += ((IntervalCount) r).count();
        List<TraceRecord> requests = Fixtures.readAll(g.requests());
        assertThat(expected).isPositive(); // else the checks on every request below check none
        assertThat(requests).hasSize((int) expected);
        for (int i = 1; i < requests.size(); i++) assertThat(requests.get(i).time()).isAfterOrEqualTo(requests.get(i - 1).time());
        assertThat(requests).allSatisfy(r -> {
            Request q = (Request) r;
            assertThat(q.serviceSeconds()).isNotNegative();
            assertThat(q.inputTokens()).isPositive();
            assertThat(q.time()).isBefore(c.start().plus(c.span()));
        });
        assertThat(requests).isEqualTo(Fixtures.readAll(g.requests()));
    }

    @Test
    void writtenFilesReadBackAsTheGeneratedRecords(@TempDir Path dir) {
        Config c = SyntheticTraceGenerator.defaults(2).withSpan(Duration.ofHours(2));
        SyntheticTraceGenerator g = new SyntheticTraceGenerator(c);
        Path counts = dir.resolve("counts.csv");
        g.writeCountsCsv(counts);
        assertThat(Fixtures.readAll(TraceFormat.COUNTS_CSV, counts, ReadOptions.STRICT)).isEqualTo(Fixtures.readAll(g.intervalCounts()));

        Config tiny = SyntheticTraceGenerator.defaults(2).withInterval(Duration.ofMinutes(1)).withSpan(Duration.ofMinutes(1));
        SyntheticTraceGenerator small = new SyntheticTraceGenerator(tiny);
        Path requests = dir.resolve("requests.csv");
        small.writeRequestsCsv(requests);
        List<TraceRecord> back = Fixtures.readAll(TraceFormat.REQUESTS_CSV, requests, ReadOptions.STRICT);
        List<TraceRecord> generated = Fixtures.readAll(small.requests());
        assertThat(back).hasSameSizeAs(generated);
        for (int i = 0; i < back.size(); i++) {
            Request a = (Request) back.get(i), b = (Request) generated.get(i);
            assertThat(a.time()).isEqualTo(b.time());
            assertThat(a.model()).isEqualTo(b.model());
            assertThat(a.inputTokens()).isEqualTo(b.inputTokens());
            assertThat(a.serviceSeconds()).isCloseTo(b.serviceSeconds(), within(1e-6));
        }
    }
}
