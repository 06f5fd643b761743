package io.prescale.simulator.setup;

import io.prescale.core.config.ConfigException;
import io.prescale.core.cost.CostModel;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.resource.MigProfile;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.SharingMode;
import io.prescale.datasets.ReadOptions;
import io.prescale.datasets.SharedTraces;
import io.prescale.datasets.TraceSource;
import io.prescale.simulator.catalog.ModelCatalog;
import io.prescale.simulator.workload.Workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace read into memory with its model catalog resolved against it: what every run on that trace
 * shares ({@code simulate}'s policies, a sweep's scenarios). {@code specs} has one spec per workload
 * model, in workload order; {@code unmatchedModels} counts the models that fell back to the catalog default.
 */
public record TraceSetup(TraceSource source, Workload workload, ModelCatalog catalog, List<ModelSpec> specs,
                         int unmatchedModels) {

    public TraceSetup {
        specs = List.copyOf(specs);
    }

    /** Reads the whole trace into memory. */
    public static Workload read(TraceSource source, boolean skipBadRows) {
        return Workload.load(source.id(), source.open(new ReadOptions(skipBadRows)));
    }

    /** Resolves the workload's models against {@code catalogFile}, or the shipped catalog for the trace when null. */
    public static TraceSetup of(TraceSource source, Workload w, Path catalogFile) {
        ModelCatalog cat = catalogFile != null ? ModelCatalog.load(catalogFile) : ModelCatalog.builtin(catalogKey(source));
        List<ModelSpec> specs = new ArrayList<>();
        int unmatched = 0;
        for (String m : w.models()) {
            ModelCatalog.Resolved r = cat.resolve(m);
            specs.add(r.spec());
            if (!r.matched()) unmatched++;
        }
        return new TraceSetup(source, w, cat, specs, unmatched);
    }

    /** The shipped catalog's key for a trace: the synthetic trace's own, else the trace format's. */
    static String catalogKey(TraceSource source) {
        return source.id().equals(SharedTraces.SYNTHETIC) ? SharedTraces.SYNTHETIC : source.format().id();
    }

    /** The catalog's pools, every GPU pool that supports it switched to {@code sharing} when not null (no MIG on an L4). */
    public Map<String, PoolShape> pools(String sharing) {
        Map<String, PoolShape> pools = new LinkedHashMap<>(catalog.pools());
        if (sharing != null) {
            SharingMode mode = SharingMode.parse(sharing);
            pools.replaceAll((k, v) -> v.supports(mode) ? v.withSharing(mode) : v);
        }
        // under MIG a replica gets one instance: a model no instance holds could never be placed, and one given a
        // named profile smaller than its memory would be placed past the GPU's memory
        for (ModelSpec s : specs) {
            PoolShape p = pools.get(s.pool());
            if (p == null || p.sharing() != SharingMode.MIG) continue;
            // named by the catalog entry the model took ("my.yaml: models[2]"), as the catalog's own errors are
            String where = catalog.where(s.id());
            String model = " (model " + s.id() + ", pool " + p.id() + ")";
            MigProfile mig;
            try {
                mig = MigProfile.forNeeds(p.gpuMemoryBytes(), s.needs());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ".migProfile", e.getMessage() + model);
            }
            if (mig == null)
                throw new ConfigException(where + ".gpuMemory", gigabytes(s.needs().gpuMemoryBytes()) + " GB fits no MIG instance" + model + ": use exclusive or mps sharing");
            if (mig.memoryBytes() < s.needs().gpuMemoryBytes())
                throw new ConfigException(where + ".migProfile", mig.id() + " holds " + gigabytes(mig.memoryBytes()) + " GB, less than its gpuMemory " + gigabytes(s.needs().gpuMemoryBytes()) + " GB" + model);
        }
        return pools;
    }

    /** Bytes as GB with at most one decimal (70.5, 16). */
    private static String gigabytes(long bytes) {
        return java.math.BigDecimal.valueOf(bytes / 1e9).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** The bill: each pool's price per node-hour, no per-request term. */
    public static CostModel costModel(Map<String, PoolShape> pools) {
        Map<String, Double> prices = new LinkedHashMap<>();
        pools.forEach((k, v) -> prices.put(k, v.pricePerHour()));
        return new CostModel(prices, 0.0);
    }
}
