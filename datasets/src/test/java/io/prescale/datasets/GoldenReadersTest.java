package io.prescale.datasets;

import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.core.trace.TraceRecord.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed expectations for each reader on its fixture. */
class GoldenReadersTest {

    private static List<TraceRecord> read(TraceFormat f) {
        return Fixtures.readAll(f, Fixtures.of(f), ReadOptions.STRICT);
    }

    private static IntervalCount count(Instant t, long seconds, String model, double n, ArrivalShape shape, boolean gap) {
        return new IntervalCount(t, Duration.ofSeconds(seconds), model, n, shape, gap);
    }

    @Test
    void servegenCountIsRateTimesWindowAndZeroWindowsAreGaps() {
        // file is grouped by model; reader sorts by (time, model). Counts: rate_rps x 600 s.
        // m-large 2.5, 2.0, 3.0 rps -> 1500, 1200, 1800; m-small 0.5, 0, 1.25 -> 300, gap, 750
        Instant t0 = Instant.EPOCH, t1 = t0.plusSeconds(600), t2 = t0.plusSeconds(1200);
        assertThat(read(TraceFormat.SERVEGEN)).containsExactly(
                count(t0, 600, "m-large", 1500, ArrivalShape.POISSON, false),
                count(t0, 600, "m-small", 300, ArrivalShape.POISSON, false),
                count(t1, 600, "m-large", 1200, ArrivalShape.POISSON, false),
                count(t1, 600, "m-small", 0, ArrivalShape.POISSON, true),
                count(t2, 600, "m-large", 1800, ArrivalShape.POISSON, false),
                count(t2, 600, "m-small", 750, ArrivalShape.POISSON, false));
    }

    @Test
    void servegenClientsCarryFittedShapesAndFlagWindowsWhereEveryClientIsZero() {
        // window 600: clients 7 and 12 both 0 -> gap on both; window 1200: only client 7 idle -> zero demand, Poisson.
        // counts: 0.5 x 600 = 300, 0.25 x 600 = 150, 0.1 x 600 = 60. "m-a/12" sorts before "m-a/7".
        Instant t0 = Instant.EPOCH, t1 = t0.plusSeconds(600), t2 = t0.plusSeconds(1200);
        List<TraceRecord> r = read(TraceFormat.SERVEGEN_CLIENTS);
        assertThat(r).hasSize(6);
        assertThat(r.get(0)).isEqualTo(count(t0, 600, "m-a/12", 150, new ArrivalShape(ArrivalShape.Kind.WEIBULL, 1.1, 3.9), false));
        assertThat(r.get(1)).isEqualTo(count(t0, 600, "m-a/7", 300, new ArrivalShape(ArrivalShape.Kind.GAMMA, 0.7, 2.8), false));
        assertThat(r.get(2)).isEqualTo(count(t1, 600, "m-a/12", 0, ArrivalShape.POISSON, true));
        assertThat(r.get(3)).isEqualTo(count(t1, 600, "m-a/7", 0, ArrivalShape.POISSON, true));
        IntervalCount c12 = (IntervalCount) r.get(4);
        assertThat(c12.count()).isCloseTo(60, within(1e-9));
        assertThat(c12.shape()).isEqualTo(new ArrivalShape(ArrivalShape.Kind.GAMMA, 1.0, 10.0));
        assertThat(r.get(5)).isEqualTo(count(t2, 600, "m-a/7", 0, ArrivalShape.POISSON, false));
    }

    @Test
    void azureFractionalTimestampIsExactTo100NanosAndModelComesFromTheFileName() {
        List<TraceRecord> r = read(TraceFormat.AZURE_LLM);
        // 18:17:03.9799600 -> .979960000 s; 18:17:05.1000001 -> .100000100 s (one 100 ns tick)
        assertThat(r.get(0)).isEqualTo(new Request(Instant.parse("2023-11-16T18:17:03.979960Z"), "code", Double.NaN, 4808, 10));
        assertThat(r.get(3).time()).isEqualTo(Instant.parse("2023-11-16T18:17:05.100000100Z"));
        assertThat(r.get(3).time().getNano()).isEqualTo(100_000_100);
        assertThat(r).extracting(TraceRecord::model).containsOnly("code");
    }

    @Test
    void alibabaTakesServiceTimeAndBaseModelAndNamesTheModellessRowUnknown() {
        List<TraceRecord> r = read(TraceFormat.ALIBABA_GENAI);
        assertThat(r).containsExactly(
                new Request(Instant.parse("2024-11-15T16:57:50Z"), "M0000", 32.0, -1, -1),
                new Request(Instant.parse("2024-11-15T18:16:14Z"), "M0001", 43.0, -1, -1),
                new Request(Instant.parse("2024-11-15T18:16:14Z"), "M0002", 0.0, -1, -1),
                new Request(Instant.parse("2024-11-15T18:20:01Z"), "M0001", 21.5, -1, -1),
                new Request(Instant.parse("2024-11-15T18:25:00Z"), "unknown", 0.0, -1, -1));
    }

    @Test
    void mooncakeMillisecondsCountFromTheEpochAndBlankLinesAreIgnored() {
        List<TraceRecord> r = read(TraceFormat.MOONCAKE);
        assertThat(r).hasSize(4);
        assertThat(r.get(2)).isEqualTo(new Request(Instant.EPOCH.plusMillis(1500), "conversation", Double.NaN, 126195, 2000));
        // 3,536,999 ms = 58 min 56.999 s
        assertThat(r.get(3).time()).isEqualTo(Instant.parse("1970-01-01T00:58:56.999Z"));
    }

    @Test
    void nasaMinutesUseUnixSecondsAndKeepTheGapFlag() {
        List<TraceRecord> r = read(TraceFormat.NASA);
        // 806952660 = 1995-07-28T17:31:00Z = 13:31 at -04:00
        assertThat(r.get(0)).isEqualTo(count(Instant.parse("1995-07-28T17:31:00Z"), 60, "nasa", 21, ArrivalShape.POISSON, false));
        assertThat(r).extracting(x -> ((IntervalCount) x).gap()).containsExactly(false, false, true, true, false, false);
        assertThat(((IntervalCount) r.get(4)).count()).isZero(); // a real zero minute, not a gap
        assertThat(((IntervalCount) r.get(5)).count()).isEqualTo(405);
    }

    @Test
    void requestsCsvReadsEveryTimestampSpellingAndEmptyOptionalCells() {
        List<TraceRecord> r = read(TraceFormat.REQUESTS_CSV);
        Instant midnight = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(r).containsExactly(
                new Request(midnight, "chat", 0.25, 120, 30),
                new Request(midnight, "embed", 0.01, 64, -1),                      // 01:00+01:00 = 00:00Z
                new Request(midnight.plusSeconds(1), "chat", Double.NaN, -1, -1),    // no zone = UTC
                new Request(midnight.plusMillis(2250), "chat", 0.5, 10, 5),         // 1704067202.25 epoch s
                new Request(midnight.plusSeconds(2).plusNanos(500_000_001), "image", 4.0, 80, 1));
    }

    @Test
    void countsCsvSortsEachWindowByModelAndReadsGapsAndEpochStarts() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(read(TraceFormat.COUNTS_CSV)).containsExactly(
                count(t0, 60, "chat", 30, ArrivalShape.POISSON, false),
                count(t0, 60, "embed", 12, ArrivalShape.POISSON, false),
                count(t0.plusSeconds(60), 60, "chat", 0, ArrivalShape.POISSON, true),
                count(t0.plusSeconds(60), 60, "embed", 7.5, ArrivalShape.POISSON, false),
                count(t0.plusSeconds(120), 60, "chat", 3, ArrivalShape.POISSON, false)); // 1704067320 = 00:02Z
    }

    @Test
    void gzippedFilesReadLikeThePlainOnes(@TempDir Path dir) throws IOException {
        Path plain = Fixtures.of(TraceFormat.NASA);
        Path gz = dir.resolve("nasa_requests_per_minute.csv.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        assertThat(Fixtures.readAll(TraceFormat.NASA, gz, ReadOptions.STRICT)).isEqualTo(read(TraceFormat.NASA));
    }

    @Test
    void streamingReadersDoNotReadAheadOfTheConsumer(@TempDir Path dir) throws IOException {
        // a bad row at line 4 surfaces only when the reader gets there: rows are streamed, not loaded up front
        Path f = Files.write(dir.resolve("r.csv"), List.of("timestamp,model", "0,a", "1,a", "oops,a"));
        try (var reader = TraceFormat.REQUESTS_CSV.open(f, ReadOptions.STRICT)) {
            assertThat(reader.next().time()).isEqualTo(Instant.EPOCH);
            assertThat(reader.next().time()).isEqualTo(Instant.ofEpochSecond(1));
            assertThatThrownBy(reader::hasNext).hasMessageStartingWith(f + ":4: bad timestamp");
        }
    }
}
