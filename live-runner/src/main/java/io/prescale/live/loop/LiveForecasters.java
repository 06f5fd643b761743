package io.prescale.live.loop;

import io.prescale.core.forecast.Forecaster;
import io.prescale.forecasting.ForecasterChoice;
import io.prescale.live.state.DemandHistory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The forecaster a live policy gets, chosen as the simulator chooses it ({@link ForecasterChoice}, so a winning
 * policy runs with the same forecaster it won with); counts per 10 minutes. Before the first tick it is warmed
 * with the runner's own demand history ({@code state/history}), so a restart does not forget the season.
 */
public final class LiveForecasters {
    public static final Duration INTERVAL = ForecasterChoice.INTERVAL;

    private LiveForecasters() {}

    /** The default choice, the simulator's ({@link ForecasterChoice#DEFAULT}); serve --forecaster names another. */
    public static Forecaster forPolicy(String policyId) {
        return ForecasterChoice.DEFAULT.forPolicy(policyId);
    }

    /**
     * Feeds {@code forecaster} the complete intervals before {@code now} found in {@code historyDir} for
     * {@code models}; returns how many intervals it fed. Minutes missing from the files (runner down) are gaps (NaN), and so
     * are minutes the runner saw only part of ({@link DemandHistory.Minute#complete}). A model is warmed from the rows its
     * own model file served under its name ({@link DemandHistory.Lineages}). Only the last {@link Forecaster#memory()} intervals
     * before {@code now} are fed, from the first of them with a minute on file.
     */
    public static int warm(Forecaster forecaster, Path historyDir, Collection<String> models, Instant now) {
        if (forecaster.id().equals("none") || !Files.isDirectory(historyDir)) return 0;
        long step = forecaster.interval().getSeconds();
        long current = Math.floorDiv(now.getEpochSecond(), step);
        int fed = 0;
        for (String model : models) {
            TreeMap<Long, DemandHistory.Minute> minutes = new TreeMap<>(); // a minute's rows (a stop's and a restart's) summed
            Path dir = historyDir.resolve("model=" + model);
            if (!Files.isDirectory(dir)) continue;
            // rows another model file served under the name are another model's demand
            DemandHistory.Lineages lineages = DemandHistory.lineages(historyDir, model);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("part.csv")).sorted().toList()) read(f, lineages, minutes);
            } catch (IOException e) {
                continue;
            }
            TreeMap<Long, double[]> buckets = new TreeMap<>(); // bucket -> {arrivals, whole minutes seen}
            for (var e : minutes.entrySet()) {
                if (!e.getValue().complete()) continue; // partly seen: as a minute with no row, never a whole minute's count
                double[] v = buckets.computeIfAbsent(Math.floorDiv(e.getKey(), step), k -> new double[2]);
                v[0] += e.getValue().arrivals();
                v[1] += 1;
            }
            // only the intervals the forecaster's memory reaches: a row dated years back (a clock that was wrong)
            // would otherwise have every interval since handed over, one by one, before the first tick
            Long first = buckets.ceilingKey(current - Math.max(1, forecaster.memory()));
            if (first == null) continue;
            long minutesPerBucket = Math.max(1, step / 60);
            for (long b = first; b < current; b++) {
                double[] v = buckets.get(b);
                // a bucket with no minute on file is a gap; a partly covered one is scaled up to the full interval
                double count = v == null ? Double.NaN : v[0] * minutesPerBucket / Math.max(1, v[1]);
                forecaster.observe(model, Instant.ofEpochSecond(b * step), count);
                fed++;
            }
        }
        return fed;
    }

    private static void read(Path f, DemandHistory.Lineages lineages, TreeMap<Long, DemandHistory.Minute> minutes) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(f)) {
            String line = in.readLine(); // header
            while ((line = in.readLine()) != null) {
                try {
                    DemandHistory.Row row = DemandHistory.Row.parse(line);
                    if (!lineages.current(row.minute())) continue;
                    minutes.computeIfAbsent(row.minute(), k -> new DemandHistory.Minute()).add(row);
                } catch (RuntimeException torn) {
                    // a line cut by a crash mid-append: skip it
                }
            }
        }
    }
}
