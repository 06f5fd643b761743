package io.prescale.datasets;

import io.prescale.core.trace.TraceFormatException;
import io.prescale.core.trace.TraceReader;
import io.prescale.core.trace.TraceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed rows name file:line; skipping counts them; empty, missing and unknown inputs say so. */
class BadInputTest {
    @TempDir
    Path dir;

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    /** An Alibaba-format file of 80 data rows, one per minute (physical lines 2..81). */
    private List<String> alibabaRows() {
        List<String> lines = new ArrayList<>();
        lines.add("gmt_create,predict_type,predict_status,exec_time_seconds,groupId,prompt_length,negative_prompt_length,"
                + "num_images_per_prompt,num_inference_steps,checkpoint_model_version_id,num_lora");
        for (int i = 0; i < 80; i++)
            lines.add(String.format("2024-11-15 %02d:%02d:00,TXT_2_IMG,SUCCEED,3.0,G0001,10.0,,1.0,30.0,M0001,0", 10 + i / 60, i % 60));
        return lines;
    }

    @Test
    void theAcceptanceCheckBadTimestampOnLine57IsNamed() throws IOException {
        // as ../shared/checks/bad-input does: awk -F, 'NR==57{$1="2024-11-1X 25:61:00"}1' OFS=,
        List<String> lines = alibabaRows();
        lines.set(56, lines.get(56).replaceFirst("^[^,]*", "2024-11-1X 25:61:00"));
        Path bad = write("bad.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, bad, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(bad + ":57: bad timestamp in 'gmt_create': '2024-11-1X 25:61:00' (want yyyy-MM-dd HH:mm:ss[.fraction])");

        try (TraceReader r = TraceFormat.ALIBABA_GENAI.open(bad, ReadOptions.SKIP_BAD_ROWS)) {
            assertThat(Fixtures.readAll(r)).hasSize(79);
            assertThat(r.skippedRows()).isEqualTo(1);
        }
    }

    @Test
    void wrongFieldCountNonNumericAndNegativeValuesAreMalformed() throws IOException {
        List<String> lines = alibabaRows();
        lines.set(4, lines.get(4) + ",extra");                                 // line 5
        lines.set(9, lines.get(9).replace(",3.0,", ",fast,"));                  // line 10
        lines.set(14, lines.get(14).replace(",3.0,", ",-2.0,"));                // line 15
        Path bad = write("several.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, bad, ReadOptions.STRICT))
                .hasMessageStartingWith(bad + ":5: expected 11 fields");
        try (TraceReader r = TraceFormat.ALIBABA_GENAI.open(bad, ReadOptions.SKIP_BAD_ROWS)) {
            assertThat(Fixtures.readAll(r)).hasSize(77);
            assertThat(r.skippedRows()).isEqualTo(3);
        }
        lines.set(4, alibabaRows().get(4));
        Path notNumber = write("nan.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, notNumber, ReadOptions.STRICT))
                .hasMessage(notNumber + ":10: exec_time_seconds is not a number: 'fast'");
        lines.set(9, alibabaRows().get(9));
        Path negative = write("neg.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, negative, ReadOptions.STRICT))
                .hasMessage(negative + ":15: negative exec_time_seconds: -2.0");
    }

    @Test
    void timeGoingBackwardsInARequestTraceIsMalformed() throws IOException {
        Path f = write("req.csv", List.of("timestamp,model", "2024-01-01T00:00:05Z,a", "2024-01-01T00:00:04Z,a", "2024-01-01T00:00:06Z,a"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, f, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith(f + ":3: time goes backwards");
        try (TraceReader r = TraceFormat.REQUESTS_CSV.open(f, ReadOptions.SKIP_BAD_ROWS)) {
            assertThat(Fixtures.readAll(r)).extracting(TraceRecord::time).extracting(t -> t.getEpochSecond() % 60)
                    .containsExactly(5L, 6L);
            assertThat(r.skippedRows()).isEqualTo(1);
        }
    }

    @Test
    void aNegativeCountIsMalformed() throws IOException {
        Path f = write("counts.csv", List.of("interval_start,interval_s,model,count", "0,60,a,3", "60,60,a,-1"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.COUNTS_CSV, f, ReadOptions.STRICT))
                .hasMessage(f + ":3: negative count: -1");
    }

    @Test
    void overlappingWindowsOfOneModelAreMalformed() throws IOException {
        // a repeated ServeGen row (line 4 repeats line 2): the two windows' arrivals would interleave out of time
        // order, which once hung the simulator; other models and back-to-back windows are fine
        Path sg = write("model_rates_10min.csv", List.of("model,window_start_s,window_s,rate_rps",
                "m-a,0,600,1.5", "m-a,600,600,2.0", "m-a,0,600,1.5", "m-b,0,600,1.0"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN, sg, ReadOptions.STRICT))
                .hasMessage(sg + ":4: window of model 'm-a' at window_start_s 0 overlaps the one on line 2");
        try (TraceReader r = TraceFormat.SERVEGEN.open(sg, ReadOptions.SKIP_BAD_ROWS)) {
            assertThat(Fixtures.readAll(r)).hasSize(3);
            assertThat(r.skippedRows()).isEqualTo(1);
        }
        // a 600 s interval, then a 60 s one of the same model inside it
        Path counts = write("counts.csv", List.of("interval_start,interval_s,model,count", "0,600,a,3", "0,60,b,1", "60,60,a,1"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.COUNTS_CSV, counts, ReadOptions.STRICT))
                .hasMessageStartingWith(counts + ":4: interval of model 'a' at 1970-01-01T00:01:00Z overlaps its previous one, which ends at 1970-01-01T00:10:00Z");
    }

    @Test
    void aRepeatedNasaMinuteIsMalformedAtItsLine() throws IOException {
        // line 3 repeats line 2's minute and line 4 starts 30 s into line 3's: each overlaps the previous 60 s interval,
        // whose arrivals the simulator found out of time order mid-run, naming neither the file nor the line
        Path f = write("nasa_requests_per_minute.csv", List.of("minute_start,unix_s,requests,gap",
                "x,804571200,10,0", "x,804571200,10,0", "x,804571290,10,0", "x,804571380,10,0"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.NASA, f, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(f + ":3: interval of model 'nasa' at 1995-07-01T04:00:00Z overlaps its previous one, which ends at 1995-07-01T04:01:00Z");
        try (TraceReader r = TraceFormat.NASA.open(f, ReadOptions.SKIP_BAD_ROWS)) {
            // kept: 04:00 and 04:01:30 (line 4 starts after line 2's minute ends), 04:03
            assertThat(Fixtures.readAll(r)).extracting(TraceRecord::time).map(Object::toString)
                    .containsExactly("1995-07-01T04:00:00Z", "1995-07-01T04:01:30Z", "1995-07-01T04:03:00Z");
            assertThat(r.skippedRows()).isEqualTo(1);
        }
    }

    @Test
    void aJsonlTimestampPastWhatTimeHoldsNamesTheLine() throws IOException {
        Path f = write("m_trace.jsonl", List.of("{\"timestamp\": 0, \"input_length\": 1, \"output_length\": 1}",
                "{\"timestamp\": 1e300, \"input_length\": 1, \"output_length\": 1}"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.MOONCAKE, f, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith(f + ":2: timestamp out of range: ");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstJsonlObjectIsSkippedAsInCsv() throws IOException {
        Path f = Files.writeString(dir.resolve("bom_trace.jsonl"),
                "\uFEFF{\"timestamp\": 5, \"input_length\": 1, \"output_length\": 2}\r\n", StandardCharsets.UTF_8);
        List<TraceRecord> records = Fixtures.readAll(TraceFormat.MOONCAKE, f, ReadOptions.STRICT);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).time().toEpochMilli()).isEqualTo(5);
    }

    @Test
    void aServiceTimeLongerThanATimeSpanHoldsIsMalformed() throws IOException {
        // 1e39 s overflowed the simulator's float service times to Infinity: the run printed its utilisation as NaN%
        Path f = write("svc.csv", List.of("timestamp,model,service_time_s", "0,a,1e9", "1,a,1e39"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, f, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(f + ":3: service_time_s out of range: 1e39 s (at most about 292 years)");
        List<String> lines = alibabaRows();
        lines.set(1, lines.get(1).replace(",3.0,", ",1e300,"));
        Path g = write("alibaba.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, g, ReadOptions.STRICT))
                .hasMessage(g + ":2: exec_time_seconds out of range: 1e300 s (at most about 292 years)");
    }

    @Test
    void aWholeNumberTooLargeForItsFieldSaysSo() throws IOException {
        // was "input_tokens is not a whole number: '99999999999999999999'"
        Path f = write("tokens.csv", List.of("timestamp,model,input_tokens", "0,a,99999999999999999999"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, f, ReadOptions.STRICT))
                .hasMessage(f + ":2: input_tokens is too large: 99999999999999999999");
        Path n = write("nasa_requests_per_minute.csv", List.of("minute_start,unix_s,requests,gap", "x,99999999999999999999,1,0"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.NASA, n, ReadOptions.STRICT))
                .hasMessage(n + ":2: unix_s is too large: 99999999999999999999");
    }

    @Test
    void aRepeatedClientRowIsMalformed() throws IOException {
        Path f = write("client_rates.csv", List.of("model,client_id,window_start_s,rate_rps,iat_dist,iat_p1,iat_p2",
                "m-a,c1,0,1.0,,,", "m-a,c2,0,1.0,,,", "m-a,c1,0,1.0,,,"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN_CLIENTS, f, ReadOptions.STRICT))
                .hasMessage(f + ":4: client 'm-a/c1' has a second row for window_start_s 0");
    }

    @Test
    void aSlashInAClientsModelOrIdIsMalformed() throws IOException {
        // the series id is <model>/<client_id>: model a/b with client c and model a with client b/c were one series "a/b/c",
        // their rows summed into one
        Path f = write("client_rates.csv", List.of("model,client_id,window_start_s,rate_rps,iat_dist,iat_p1,iat_p2",
                "a,b/c,0,1.0,,,", "a/b,c,0,1.0,,,"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN_CLIENTS, f, ReadOptions.STRICT))
                .hasMessage(f + ":2: client_id holds a '/' ('b/c'): a client's series is named <model>/<client_id>, so the '/' would make "
                        + "two (model, client) pairs one series");
        Path g = write("client_rates2.csv", List.of("model,client_id,window_start_s,rate_rps,iat_dist,iat_p1,iat_p2",
                "m,1,0,1.0,,,", "a/b,c,0,1.0,,,"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN_CLIENTS, g, ReadOptions.STRICT))
                .hasMessage(g + ":3: model holds a '/' ('a/b'): a client's series is named <model>/<client_id>, so the '/' would make "
                        + "two (model, client) pairs one series");
    }

    @Test
    void aClientWindowStartingInsideItsPreviousOneIsMalformed() throws IOException {
        // 600 s windows at 0 and 300: read, and simulate stopped mid-run on "arrivals of model 'm/1' out of time order
        // (overlapping windows in the trace?)" without the file or line; another client's window at 300 is fine
        Path f = write("client_rates.csv", List.of("model,client_id,window_start_s,rate_rps,iat_dist,iat_p1,iat_p2",
                "m,1,0,1.0,,,", "m,1,600,1.0,,,", "m,2,300,1.0,,,", "m,1,300,1.0,,,", "m,1,1500,1.0,,,", "m,1,1200,1.0,,,"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN_CLIENTS, f, ReadOptions.STRICT)).isInstanceOf(TraceFormatException.class)
                .hasMessage(f + ":5: window of client 'm/1' at window_start_s 300 overlaps its window at 0 (line 2): windows are 600 s long");
        try (TraceReader r = TraceFormat.SERVEGEN_CLIENTS.open(f, ReadOptions.SKIP_BAD_ROWS)) {
            // line 5 (300, inside 0) and line 7 (1200, which 1500 on line 6 follows by less than a window) are skipped
            assertThat(Fixtures.readAll(r)).extracting(x -> x.model() + "@" + x.time().getEpochSecond())
                    .containsExactly("m/1@0", "m/2@300", "m/1@600", "m/1@1500");
            assertThat(r.skippedRows()).isEqualTo(2);
        }
    }

    @Test
    void aRateWhoseCountOverflowsAndAnIntervalShorterThanANanosecondAreMalformed() throws IOException {
        // 1e306 req/s is a finite rate, but over 600 s an infinite count: "prescale traces" printed "InfinityG requests"
        Path sg = write("model_rates_10min.csv", List.of("model,window_start_s,window_s,rate_rps", "m-a,0,600,1.5", "m-a,600,600,1e306"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN, sg, ReadOptions.STRICT))
                .hasMessage(sg + ":3: rate_rps 1.0E306 over 600.0 s is more requests than a number holds");
        Path cl = write("client_rates.csv", List.of("model,client_id,window_start_s,rate_rps,iat_dist,iat_p1,iat_p2", "m,1,0,1e306,,,"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN_CLIENTS, cl, ReadOptions.STRICT))
                .hasMessage(cl + ":2: rate_rps 1.0E306 over 600.0 s is more requests than a number holds");
        // 1e-10 s passed "must be positive" and rounded to a zero-length interval: two rows of model a at one start were read
        Path counts = write("counts.csv", List.of("interval_start,interval_s,model,count", "0,1e-10,a,3", "0,60,a,1"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.COUNTS_CSV, counts, ReadOptions.STRICT))
                .hasMessage(counts + ":2: interval_s is shorter than a nanosecond: 1e-10");
        Path sgShort = write("model_rates_short.csv", List.of("model,window_start_s,window_s,rate_rps", "m-a,0,1e-12,1.5"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN, sgShort, ReadOptions.STRICT))
                .hasMessage(sgShort + ":2: window_s is shorter than a nanosecond: 1e-12");
    }

    @Test
    void aColumnNamedTwiceInTheHeaderIsAmbiguousAndBlankLinesBeforeTheHeaderAreIgnored() throws IOException {
        // timestamp,model,model read the first model column and dropped the second without a word
        Path dup = write("dup.csv", List.of("timestamp,model,model", "2024-01-01T00:00:00Z,chat,embed"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, dup, ReadOptions.STRICT)).isInstanceOf(TraceFormatException.class)
                .hasMessage(dup + ":1: column 'model' appears more than once in the header (timestamp,model,model): which one holds the model is ambiguous");
        // an optional column the reader uses, too; a repeated column it does not read is no matter
        Path svc = write("svc.csv", List.of("timestamp,model,service_time_s,note,service_time_s,note", "0,a,1,x,2,y"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, svc, ReadOptions.STRICT))
                .hasMessageStartingWith(svc + ":1: column 'service_time_s' appears more than once");
        Path notes = write("notes.csv", List.of("timestamp,model,note,note", "0,a,x,y"));
        assertThat(Fixtures.readAll(TraceFormat.REQUESTS_CSV, notes, ReadOptions.STRICT)).hasSize(1);
        // blank lines are ignored, also before the header: this file was "empty trace file (no header)"; lines stay physical
        Path blank = write("blank.csv", List.of("", "  ", "timestamp,model", "0,a", "later,a"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, blank, ReadOptions.STRICT))
                .hasMessageStartingWith(blank + ":5: bad timestamp in 'timestamp': 'later'");
        Path blankMissing = write("blank-missing.csv", List.of("", "timestamp,mdl", "0,a"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, blankMissing, ReadOptions.STRICT))
                .hasMessageStartingWith(blankMissing + ":2: missing column 'model'");
        Path onlyBlank = write("only-blank.csv", List.of("", " "));
        assertThatThrownBy(() -> TraceFormat.REQUESTS_CSV.open(onlyBlank, ReadOptions.STRICT))
                .hasMessage(onlyBlank + ": empty trace file (no header)");
    }

    @Test
    void aWindowStartPastWhatTimeHoldsIsMalformed() throws IOException {
        Path sg = write("model_rates_10min.csv", List.of("model,window_start_s,window_s,rate_rps", "m-a,1e18,600,1.5"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.SERVEGEN, sg, ReadOptions.STRICT))
                .hasMessageStartingWith(sg + ":2: value out of range");
    }

    @Test
    void backwardsJsonlTimestampAndBadJsonNameTheLine() throws IOException {
        Path f = write("m_trace.jsonl", List.of("{\"timestamp\": 10, \"input_length\": 1, \"output_length\": 1}",
                "{\"timestamp\": 5, \"input_length\": 1, \"output_length\": 1}"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.MOONCAKE, f, ReadOptions.STRICT))
                .hasMessageStartingWith(f + ":2: timestamp goes backwards");
        Path g = write("g_trace.jsonl", List.of("{\"timestamp\": 10, \"input_length\": 1, \"output_length\": 1}",
                "{\"timestamp\": 11, \"input_length\": \"many\", \"output_length\": 1}"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.MOONCAKE, g, ReadOptions.STRICT))
                .hasMessage(g + ":2: input_length is not a whole number: many");
    }

    @Test
    void aMissingColumnNamesLineOne() throws IOException {
        Path f = write("AzureLLMInferenceTrace_x.csv", List.of("TIMESTAMP,Tokens", "2023-11-16 18:17:03.9799600,3"));
        assertThatThrownBy(() -> TraceFormat.AZURE_LLM.open(f, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(f + ":1: missing column 'ContextTokens' (header has: TIMESTAMP,Tokens)");
    }

    @Test
    void anUnclosedQuoteIsUnreadableEvenWhenSkipping() throws IOException {
        Path f = write("quote.csv", List.of("timestamp,model", "2024-01-01T00:00:00Z,a", "2024-01-01T00:00:01Z,\"b"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, f, ReadOptions.SKIP_BAD_ROWS))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith(f + ":3: unreadable CSV");
    }

    @Test
    void aHeaderWithoutRowsIsAnEmptyTrace() throws IOException {
        Path f = write("header-only.csv", List.of("timestamp,model"));
        assertThatThrownBy(() -> TraceFormat.REQUESTS_CSV.open(f, ReadOptions.STRICT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ": empty trace (a header but no data rows)");
        Path allBad = write("all-bad.csv", List.of("timestamp,model", "yesterday,a"));
        assertThatThrownBy(() -> TraceFormat.REQUESTS_CSV.open(allBad, ReadOptions.SKIP_BAD_ROWS))
                .hasMessage(allBad + ": empty trace (a header but no data rows; 1 malformed rows skipped)");
        // a JSONL trace has no header to speak of
        Path blank = write("blank_trace.jsonl", List.of("", "  "));
        assertThatThrownBy(() -> TraceFormat.MOONCAKE.open(blank, ReadOptions.STRICT)).hasMessage(blank + ": empty trace (no records)");
    }

    @Test
    void unknownFormatsAndNamesListWhatIsKnown() {
        assertThatThrownBy(() -> TraceFormat.byId("no-such-format"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown trace format 'no-such-format' (known: servegen, servegen-clients, alibaba-genai, "
                        + "azure-llm, mooncake, nasa, requests-csv, counts-csv)");
        assertThatThrownBy(() -> SharedTraces.resolve("no-such-format:x.csv", dir))
                .hasMessageContaining("unknown trace format 'no-such-format'");
        // a misspelt name or format gets the closest known one, as a misspelt policy id does
        assertThatThrownBy(() -> SharedTraces.resolve("servgen", dir))
                .hasMessageStartingWith("unknown trace 'servgen', did you mean servegen? (shared names: servegen, servegen-clients, alibaba-genai, azure-llm, mooncake, nasa, synthetic;");
        assertThatThrownBy(() -> SharedTraces.resolve("Synthetc", dir)).hasMessageStartingWith("unknown trace 'Synthetc', did you mean synthetic? (");
        assertThatThrownBy(() -> SharedTraces.resolve("counts-cvs:x.csv", dir))
                .hasMessageStartingWith("unknown trace format 'counts-cvs', did you mean counts-csv? (known: ");
        // nothing close: no guess
        assertThatThrownBy(() -> SharedTraces.resolve("bogus", dir)).hasMessageStartingWith("unknown trace 'bogus' (shared names: ");
        // ~ after the format is not the shell's to expand: said, with the spelling that works
        assertThatThrownBy(() -> SharedTraces.resolve("requests-csv:~/no-such-prescale-trace.csv", dir)).hasMessage("~/no-such-prescale-trace.csv: "
                + "trace file not found (the shell leaves ~ after 'requests-csv:' as it is: write requests-csv:$HOME/no-such-prescale-trace.csv or the full path)");
        // a file without its format: said how to write it (it listed the shared names, which a file is not)
        assertThatThrownBy(() -> SharedTraces.resolve("my.csv", dir)).hasMessage("unknown trace 'my.csv': a file is given as FORMAT:PATH, "
                + "e.g. requests-csv:my.csv (a row per request) or counts-csv:my.csv (a row per interval); FORMAT one of servegen, "
                + "servegen-clients, alibaba-genai, azure-llm, mooncake, nasa, requests-csv, counts-csv");
        assertThatThrownBy(() -> SharedTraces.resolve("traces/requests", dir)).hasMessageStartingWith("unknown trace 'traces/requests': a file is given as FORMAT:PATH");
    }

    @Test
    void aMissingFileNamedInASpecFailsAtResolution() {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> SharedTraces.resolve("alibaba-genai:" + missing, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(missing + ": trace file not found");
    }

    @Test
    void messagesAreOneLine() throws IOException {
        List<String> lines = alibabaRows();
        lines.set(20, "x");
        Path bad = write("one-line.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, bad, ReadOptions.STRICT))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith(bad + ":21: expected 11 fields"));
    }

    @Test
    void epochMillisecondsAreRefusedNotReadAsTheYear55969() throws IOException {
        // 1704067200000 ms is 2024-01-01T00:00:00Z; read as seconds it was the year 55969, and every ISO window fell before it
        Path ms = Files.writeString(dir.resolve("ms.csv"), "timestamp,model\n1704067200000,a\n");
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, ms, ReadOptions.STRICT)).hasMessage(ms + ":2: timestamp in "
                + "'timestamp': '1704067200000' is too large for epoch seconds (past the year 5000): epoch milliseconds? Write epoch seconds "
                + "(a fraction is fine: 1704067200.5) or ISO-8601");
        Path ns = Files.writeString(dir.resolve("ns.csv"), "interval_start,interval_s,model,count\n1704067200000000000,60,a,1\n");
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.COUNTS_CSV, ns, ReadOptions.STRICT)).hasMessageContaining(":2: timestamp in "
                + "'interval_start': '1704067200000000000' is too large for epoch seconds").hasMessageContaining("epoch nanoseconds?");
        // the latest time a trace may hold still reads, and so do seconds from 0 (a relative trace)
        Path ok = Files.writeString(dir.resolve("ok.csv"), "timestamp,model\n0.5,a\n9214646400,a\n");
        assertThat(Fixtures.readAll(TraceFormat.REQUESTS_CSV, ok, ReadOptions.STRICT)).extracting(TraceRecord::time).map(Object::toString)
                .containsExactly("1970-01-01T00:00:00.500Z", "2262-01-01T00:00:00Z");
    }

    @Test
    void aTimePastWhatTheClocksCountInNanosecondsIsMalformedAtItsLine() throws IOException {
        // nanoseconds from 1970 in a long end on 2262-04-11: a requests-csv in 2300 was read, and simulate stopped mid-run on
        // "ArithmeticException: long overflow" (the predictive policies' demand history), naming neither file nor line
        String range = " (times must lie between 1678-01-01T00:00:00Z and 2262-01-01T00:00:00Z: nanoseconds from 1970 in 64 bits)";
        Path iso = write("iso.csv", List.of("timestamp,model", "2261-12-31T23:00:00Z,a", "2300-01-01T00:00:00Z,a"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, iso, ReadOptions.STRICT)).isInstanceOf(TraceFormatException.class)
                .hasMessage(iso + ":3: timestamp in 'timestamp': '2300-01-01T00:00:00Z' is after 2262-01-01T00:00:00Z" + range);
        try (TraceReader r = TraceFormat.REQUESTS_CSV.open(iso, ReadOptions.SKIP_BAD_ROWS)) {
            assertThat(Fixtures.readAll(r)).hasSize(1);
            assertThat(r.skippedRows()).isEqualTo(1);
        }
        Path early = write("early.csv", List.of("timestamp,model", "1500-01-01 00:00:00,a"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, early, ReadOptions.STRICT))
                .hasMessage(early + ":2: timestamp in 'timestamp': '1500-01-01 00:00:00' is before 1678-01-01T00:00:00Z" + range);
        // epoch seconds below the "milliseconds?" threshold but past 2262
        Path secs = write("secs.csv", List.of("timestamp,model", "99999999999,a"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, secs, ReadOptions.STRICT))
                .hasMessage(secs + ":2: timestamp in 'timestamp': '99999999999' is after 2262-01-01T00:00:00Z" + range);
        List<String> lines = alibabaRows();
        lines.set(3, lines.get(3).replaceFirst("^2024", "2300"));
        Path ali = write("alibaba.csv", lines);
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.ALIBABA_GENAI, ali, ReadOptions.STRICT))
                .hasMessageStartingWith(ali + ":4: timestamp in 'gmt_create': '2300-11-15 10:02:00' is after 2262-01-01T00:00:00Z");
        // a NASA unix_s that a long holds but an Instant's end does not stopped the read with
        // "DateTimeException: Instant exceeds minimum or maximum instant", without the file or line
        Path nasa = write("nasa_requests_per_minute.csv", List.of("minute_start,unix_s,requests,gap", "x,804571200,1,0", "x,31556889864403199,3,0"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.NASA, nasa, ReadOptions.STRICT)).isInstanceOf(TraceFormatException.class)
                .hasMessage(nasa + ":3: timestamp in 'unix_s': '31556889864403199' is after 2262-01-01T00:00:00Z" + range);
        // an interval that starts in range but ends past it
        Path counts = write("counts.csv", List.of("interval_start,interval_s,model,count", "2261-12-31T23:59:30Z,60,a,1"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.COUNTS_CSV, counts, ReadOptions.STRICT))
                .hasMessage(counts + ":2: interval from 2261-12-31T23:59:30Z (interval_start) ends after 2262-01-01T00:00:00Z, the latest time a trace may hold");
        Path jsonl = write("late_trace.jsonl", List.of("{\"timestamp\": 9214646400001, \"input_length\": 1, \"output_length\": 1}"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.MOONCAKE, jsonl, ReadOptions.STRICT))
                .hasMessageStartingWith(jsonl + ":1: timestamp in 'timestamp': '9214646400001 ms' is after 2262-01-01T00:00:00Z");
    }

    @Test
    void windowsLineEndingsKeepLineNumbersRight() throws IOException {
        Path f = Files.writeString(dir.resolve("crlf.csv"), "timestamp,model\r\n0,a\r\nlater,a\r\n2,a\r\n");
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, f, ReadOptions.STRICT))
                .hasMessageStartingWith(f + ":3: bad timestamp");
    }

    @Test
    void aModelNameWithAControlCharacterIsMalformedAndItsErrorShowsTheCharacterEscaped() throws IOException {
        // an escape sequence would recolour the terminal table that lists the model; a line break would split CSV and table rows
        Path esc = write("esc.csv", List.of("timestamp,model", "0,ok", "1,red\u001b[31m", "2,\"two\nlines\""));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, esc, ReadOptions.STRICT))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(esc + ":3: model holds a control character (U+001B): 'red\\u001B[31m'");
        try (TraceReader r = TraceFormat.REQUESTS_CSV.open(esc, ReadOptions.SKIP_BAD_ROWS)) {
            assertThat(Fixtures.readAll(r)).hasSize(1);
            assertThat(r.skippedRows()).isEqualTo(2);
        }
        Path counts = write("counts.csv", List.of("interval_start,interval_s,model,count", "2024-01-01T00:00:00Z,60,\"a\tb\",3"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.COUNTS_CSV, counts, ReadOptions.STRICT))
                .hasMessage(counts + ":2: model holds a control character (U+0009): 'a\\u0009b'");
    }

    @Test
    void aBadNumberOrTimestampIsEchoedWithItsControlCharactersEscaped() throws IOException {
        Path bad = write("bad-ts.csv", List.of("timestamp,model", "\u001b[2J,m"));
        assertThatThrownBy(() -> Fixtures.readAll(TraceFormat.REQUESTS_CSV, bad, ReadOptions.STRICT))
                .hasMessageContaining("'\\u001B[2J'").message().doesNotContain("\u001b");
    }
}
