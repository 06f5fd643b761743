package io.prescale.live.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.prescale.live.metrics.LiveMetrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** /metrics (Prometheus text) and /metrics.json (the same meters as JSON, histogram buckets included). */
final class MetricsApi {
    private final LiveMetrics metrics;

    MetricsApi(LiveMetrics metrics) {
        this.metrics = metrics;
    }

    void prometheus(Context ctx) {
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    void json(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Meter> meters = new ArrayList<>(metrics.registry().getMeters());
        meters.sort(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()));
        for (Meter m : meters) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.getId().getName());
            e.put("type", m.getId().getType().name().toLowerCase());
            Map<String, String> tags = new LinkedHashMap<>();
            for (Tag t : m.getId().getTags()) tags.put(t.getKey(), t.getValue());
            e.put("tags", tags);
            Map<String, Double> values = new LinkedHashMap<>();
            for (Measurement x : m.measure()) {
                double v = x.getValue();
                values.put(x.getStatistic().getTagValueRepresentation(), Double.isFinite(v) ? v : null);
            }
            e.put("measurements", values);
            Map<String, Double> buckets = buckets(m);
            if (!buckets.isEmpty()) e.put("buckets", buckets);
            out.add(e);
        }
        Json.send(ctx, 200, Map.of("meters", out));
    }

    /**
     * A histogram's buckets as Prometheus shows them: cumulative counts by upper bound ("le", seconds for a timer, written
     * as Prometheus writes it), then "+Inf" with the count of all. Empty for meters without a histogram.
     */
    static Map<String, Double> buckets(Meter m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!(m instanceof HistogramSupport h)) return out;
        HistogramSnapshot snap = h.takeSnapshot();
        CountAtBucket[] counts = snap.histogramCounts();
        if (counts.length == 0) return out;
        for (CountAtBucket c : counts) {
            double le = m instanceof io.micrometer.core.instrument.Timer ? c.bucket(TimeUnit.SECONDS) : c.bucket();
            out.put(Double.toString(le), c.count());
        }
        out.put("+Inf", (double) snap.count());
        return out;
    }
}
