package io.prescale.datasets;

import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import io.prescale.core.trace.TraceRecord.IntervalCount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real shared traces against the sanity figures of their PROVENANCE.md. Skipped when
 * ../shared/datasets is not beside the project.
 */
class SharedDataTest {
    static final Path DATA = TraceManifestTest.SHARED;
    /** The listing's summaries (each trace read once, strictly): the listing test and every trace's own test read them. */
    static List<TraceSummary> listing;

    @BeforeAll
    static void needsTheSharedData() {
        assumeTrue(Files.isDirectory(DATA), "shared datasets not present at " + DATA.toAbsolutePath().normalize());
        listing = TraceCatalog.summarizeShared(java.util.Optional.of(DATA));
    }

    private static TraceSummary summary(String name) {
        return listing.stream().filter(s -> s.id().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    @Test
    void servegen() {
        TraceSummary s = summary("servegen");
        assertThat(s.records()).isEqualTo(6336);
        assertThat(s.requestsByModel()).containsOnlyKeys("m-large", "m-mid", "m-small", "mm-image", "deepseek-r1");
        assertThat(s.gapIntervals()).isEqualTo(84 + 37);
        assertThat(s.span()).isEqualTo(Duration.ofDays(14));
        // mm-image: mean 568.479 requests/min over 144 ten-minute windows = 818,610 requests (PROVENANCE day00)
        assertThat(s.requestsByModel().get("mm-image")).isCloseTo(818_610, within(1.0));
        Map<String, Integer> gaps = new HashMap<>();
        try (TraceReader r = SharedTraces.resolve("servegen", DATA).open(ReadOptions.STRICT)) {
            while (r.hasNext()) {
                IntervalCount c = (IntervalCount) r.next();
                if (c.gap()) gaps.merge(c.model(), 1, Integer::sum);
            }
        }
        assertThat(gaps).containsExactlyInAnyOrderEntriesOf(Map.of("m-mid", 84, "m-small", 37));
    }

    @Test
    void servegenClients() {
        TraceSummary s = summary("servegen-clients");
        assertThat(s.records()).isEqualTo(120_960);
        assertThat(s.models()).isEqualTo(60);
        assertThat(s.gapIntervals()).isEqualTo(20L * (84 + 37));
        assertThat(s.requestsByModel()).containsKey("m-large/61");
    }

    @Test
    void alibabaGenAi() {
        TraceSummary s = summary("alibaba-genai");
        assertThat(s.records()).isEqualTo(15_630);
        assertThat(s.models()).isEqualTo(78);
        assertThat(s.requestsByModel()).containsEntry("M0002", 4755.0).containsEntry("M0001", 2045.0).containsEntry("unknown", 15.0);
        assertThat(s.start()).isEqualTo(Instant.parse("2024-11-15T16:57:50Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2024-12-01T23:59:50Z"));
    }

    @Test
    void azureLlm() {
        TraceSummary s = summary("azure-llm");
        assertThat(s.requestsByModel()).containsExactlyInAnyOrderEntriesOf(Map.of("code", 8819.0, "conv", 19366.0));
        assertThat(s.start()).isEqualTo(Instant.parse("2023-11-16T18:15:46.680590Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2023-11-16T19:14:19.928016Z"));
        assertThat(s.files()).isEqualTo(2);
    }

    @Test
    void mooncake() {
        TraceSummary s = summary("mooncake");
        assertThat(s.requestsByModel()).containsExactlyEntriesOf(Map.of("conversation", 12031.0));
        assertThat(s.end()).isEqualTo(Instant.EPOCH.plusMillis(3_536_999));
    }

    @Test
    void nasa() {
        TraceSummary s = summary("nasa");
        assertThat(s.records()).isEqualTo(89_280);
        assertThat(s.gapIntervals()).isEqualTo(7_210);
        assertThat(s.requests()).isEqualTo(3_461_603);
        assertThat(s.start()).isEqualTo(Instant.parse("1995-07-01T04:00:00Z")); // 00:00 at -04:00
        assertThat(s.span()).isEqualTo(Duration.ofDays(62));
    }

    @Test
    void theSharedListingHasEveryTracePlusSynthetic() {
        assertThat(listing).extracting(TraceSummary::id)
                .containsExactly("servegen", "servegen-clients", "alibaba-genai", "azure-llm", "mooncake", "nasa", "synthetic");
    }

    @Test
    void firstRecordsOfEachTraceAreWhereTheFilesSayTheyAre() {
        try (TraceReader r = SharedTraces.resolve("alibaba-genai", DATA).open(ReadOptions.STRICT)) {
            TraceRecord first = r.next();
            assertThat(first).isEqualTo(new TraceRecord.Request(Instant.parse("2024-11-15T16:57:50Z"), "M0000", 32.0, -1, -1));
        }
    }
}
