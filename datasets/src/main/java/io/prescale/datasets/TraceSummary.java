package io.prescale.datasets;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a scan of a trace found. {@code requests} counts request rows, or sums the counts of
 * per-interval rows (gap intervals excluded, so it can be fractional for expected-count traces).
 * {@code end} is the last arrival, or the end of the last interval.
 */
public record TraceSummary(String id, TraceFormat format, int files, long bytes, Instant start, Instant end,
                           long records, double requests, long gapIntervals, long skippedRows,
                           SortedMap<String, Double> requestsByModel) {

    public TraceSummary {
        requestsByModel = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(requestsByModel));
    }

    public Duration span() {
        return Duration.between(start, end);
    }

    public int models() {
        return requestsByModel.size();
    }

    /** The model with the most requests (ties: first by name). */
    public String busiestModel() {
        String best = null;
        double most = -1;
        for (Map.Entry<String, Double> e : requestsByModel.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }
}
