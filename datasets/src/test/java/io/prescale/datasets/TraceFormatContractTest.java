package io.prescale.datasets;

import io.prescale.core.trace.ArrivalShape;
import io.prescale.core.trace.TraceFeatures;
import io.prescale.core.trace.TraceFormatException;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import io.prescale.core.trace.TraceRecord.Request;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every {@link TraceFormat} constant keeps the reader contract on its fixture. */
class TraceFormatContractTest {

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void recordsComeInNonDecreasingTimeAndWindowsInModelOrder(TraceFormat format) {
        List<TraceRecord> records = Fixtures.readAll(format, Fixtures.of(format), ReadOptions.STRICT);
        assertThat(records).as("fixture of %s has records", format).hasSizeGreaterThan(2);
        for (int i = 1; i < records.size(); i++) {
            TraceRecord a = records.get(i - 1), b = records.get(i);
            assertThat(b.time()).as("record %d of %s", i, format).isAfterOrEqualTo(a.time());
            if (a instanceof IntervalCount && b instanceof IntervalCount && a.time().equals(b.time()))
                assertThat(b.model()).as("models inside one window of %s", format).isGreaterThanOrEqualTo(a.model());
        }
    }

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void featuresAreHonouredAndExercisedByTheFixture(TraceFormat format) {
        TraceFeatures declared;
        List<TraceRecord> records;
        try (TraceReader reader = format.open(Fixtures.of(format), ReadOptions.STRICT)) {
            declared = reader.features();
            records = Fixtures.readAll(reader);
        }
        TraceFeatures max = format.features();
        assertThat(implies(declared, max)).as("reader features %s within format features %s", declared, max).isTrue();
        boolean sawService = false, sawTokens = false, sawShape = false, sawGap = false;
        for (TraceRecord r : records) {
            if (declared.perInterval()) {
                assertThat(r).isInstanceOf(IntervalCount.class);
                IntervalCount c = (IntervalCount) r;
                assertThat(c.count()).isNotNegative();
                assertThat(c.length()).isPositive();
                if (!declared.arrivalShapes()) assertThat(c.shape()).isEqualTo(ArrivalShape.POISSON);
                if (!declared.gaps()) assertThat(c.gap()).isFalse();
                sawShape |= c.shape().kind() != ArrivalShape.Kind.POISSON;
                sawGap |= c.gap();
            } else {
                assertThat(r).isInstanceOf(Request.class);
                Request q = (Request) r;
                if (!declared.serviceTimes()) assertThat(q.serviceSeconds()).isNaN();
                if (!declared.tokenCounts()) assertThat(q.inputTokens()).isEqualTo(-1);
                if (!declared.tokenCounts()) assertThat(q.outputTokens()).isEqualTo(-1);
                sawService |= !Double.isNaN(q.serviceSeconds());
                sawTokens |= q.inputTokens() >= 0;
            }
            assertThat(r.model()).isNotBlank();
        }
        // the fixture exercises every feature its reader declares
        assertThat(sawService).as("service times in %s fixture", format).isEqualTo(declared.serviceTimes());
        assertThat(sawTokens).as("token counts in %s fixture", format).isEqualTo(declared.tokenCounts());
        assertThat(sawShape).as("arrival shapes in %s fixture", format).isEqualTo(declared.arrivalShapes());
        assertThat(sawGap).as("gaps in %s fixture", format).isEqualTo(declared.gaps());
    }

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void readingTwiceGivesTheSameRecords(TraceFormat format) {
        Path f = Fixtures.of(format);
        assertThat(Fixtures.readAll(format, f, ReadOptions.STRICT)).isEqualTo(Fixtures.readAll(format, f, ReadOptions.STRICT));
    }

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void aGarbageLineNamesFileAndLineOrIsSkippedAndCounted(TraceFormat format, @TempDir Path dir) throws IOException {
        Path fixture = Fixtures.of(format);
        Path bad = dir.resolve(fixture.getFileName().toString()); // same name: azure and mooncake take the model from it
        List<String> lines = new ArrayList<>(Files.readAllLines(fixture, StandardCharsets.UTF_8));
        lines.add(2, "###garbage###"); // physical line 3
        Files.write(bad, lines, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Fixtures.readAll(format, bad, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith(bad + ":3: ")
                .satisfies(e -> assertThat(((TraceFormatException) e).line()).isEqualTo(3));

        try (TraceReader skipping = format.open(bad, ReadOptions.SKIP_BAD_ROWS)) {
            List<TraceRecord> kept = Fixtures.readAll(skipping);
            assertThat(skipping.skippedRows()).isEqualTo(1);
            assertThat(kept).isEqualTo(Fixtures.readAll(format, fixture, ReadOptions.STRICT));
        }
    }

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void emptyAndMissingFilesFailWithThePath(TraceFormat format, @TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty-" + format.id()));
        assertThatThrownBy(() -> format.open(empty, ReadOptions.STRICT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty").hasMessageContaining(empty.toString());
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> format.open(missing, ReadOptions.STRICT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found").hasMessageContaining(missing.toString());
    }

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void idsRoundTrip(TraceFormat format) {
        assertThat(TraceFormat.byId(format.id())).isSameAs(format);
        assertThat(format.description()).isNotBlank();
    }

    private static boolean implies(TraceFeatures a, TraceFeatures b) {
        return a.perInterval() == b.perInterval() && (!a.serviceTimes() || b.serviceTimes()) && (!a.tokenCounts() || b.tokenCounts())
                && (!a.arrivalShapes() || b.arrivalShapes()) && (!a.gaps() || b.gaps());
    }
}
