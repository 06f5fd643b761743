package io.prescale.simulator.cost;

import io.prescale.core.model.LatencyProfile;
import io.prescale.core.model.ModelSpec;
import io.prescale.core.model.PriorityClass;
import io.prescale.core.resource.PoolShape;
import io.prescale.core.resource.ReplicaFootprint;
import io.prescale.core.resource.SharingMode;
import io.prescale.simulator.cluster.SpotMarket;
import io.prescale.simulator.engine.SimulationSetup;
import io.prescale.simulator.metrics.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a run and proposes cheaper ways to serve the same models, each with a predicted saving:
 * <ul>
 *   <li><b>consolidate</b>: replicas that use a small part of an exclusive GPU share it (MIG or MPS, whichever
 *       saves more, of the modes every model of the pool fits: MIG changes the whole pool); predicted saving = the model's replica cost × (1 − the share it takes: its MIG slice, at least
 *       one over the slices of that size a GPU holds, or its MPS compute/memory share);</li>
 *   <li><b>right-size</b>: a model whose memory fits a cheaper shape moves there, its latency profile scaled
 *       by the shapes' relative speed (memory bandwidth, which bounds inference: H100 SXM 3.35 TB/s,
 *       A100 80GB 2.04 TB/s, L4 0.30 TB/s); predicted saving = Σ over report rows of row cost × (1 − price ratio ×
 *       after / held), after = max(held × slowdown, min(held, 1)) ({@link #rightSizeSaving}: a replica is whole);</li>
 *   <li><b>spot</b>: low-priority (low, batch) models move to spot capacity at {@link #SPOT_DISCOUNT} off;
 *       predicted saving = replica cost × discount. The re-simulation runs the model on a spot pool of its own
 *       whose nodes the provider takes back ({@link SpotMarket}: by default AWS's highest interruption band, 20 % of
 *       the nodes a month, with a two-minute notice): at the notice its replicas start again elsewhere (a new node,
 *       paying provisioning and load), at the interruption those not yet replaced are lost, so the realised saving
 *       and SLO carry the interruptions' cost;</li>
 *   <li><b>idle</b>: a model whose replicas are busy less than {@link #IDLE_UTILIZATION} of the replica-hours it
 *       pays (replica-hours serving / replica-hours held, from the run's report rows) is capped at the replicas its
 *       busiest report row keeps busy at {@link #IDLE_TARGET_UTILIZATION}, cap = max(1, ⌈peak mean busy replicas /
 *       0.5⌉), and a minReplicas floor above 0 drops to 0 (the policy may scale it to zero). Predicted saving =
 *       Σ over report rows of row cost × (1 − after / held), held = the row's mean replicas held (its replica-hours
 *       on nodes / its length; not its cost, which a shared GPU bills unevenly), after = min(held, cap), or 0 for a row
 *       that served nothing while the floor alone held its replicas. The 50 % target leaves room for the bursts
 *       inside a row that its mean hides; the prediction ignores the loads a model woken from zero pays. A model
 *       whose replicas the cap and the floor would not reduce is flagged with no change (only a policy that
 *       scales it to zero between bursts would save).</li>
 * </ul>
 * A model's cost here is its replicas' ({@link RunResult.Totals#replicaCostUsd()}): its share of its pool's spare
 * node time (spares, warm nodes, drain tails) is left out, since none of these changes moves it to first order.
 * Predictions are first-order (they ignore queueing effects); re-simulating each change gives the realised
 * saving and whether the SLO still holds.
 */
public final class Recommender {
    /** Typical AWS spot discount for GPU instances (60-70 % off on-demand); the conservative end. */
    public static final double SPOT_DISCOUNT = 0.6;
    /** Below this share of its paid replica-hours spent serving, a model is idle. */
    public static final double IDLE_UTILIZATION = 0.10;
    /** The utilisation an idle model's replica cap is sized for at its busiest report row. */
    public static final double IDLE_TARGET_UTILIZATION = 0.5;
    static final Map<String, Double> MEMORY_BANDWIDTH_TBPS = Map.of("H100-SXM-80GB", 3.35, "A100-SXM-80GB", 2.04, "L4-24GB", 0.30);

    private Recommender() {}

    public static List<Recommendation> recommend(SimulationSetup setup, RunResult run) {
        return recommend(setup, run, SpotMarket.AWS_TOP_BAND);
    }

    /** {@code spotMarket}: how the spot pool a spot recommendation moves a model to is interrupted when re-simulated. */
    public static List<Recommendation> recommend(SimulationSetup setup, RunResult run, SpotMarket spotMarket) {
        List<Recommendation> out = new ArrayList<>();
        Map<String, RunResult.Totals> byModel = new LinkedHashMap<>();
        for (RunResult.Totals t : run.models()) byModel.put(t.model(), t);
        consolidate(setup, byModel, out);
        rightSize(setup, run, byModel, out);
        spot(setup, byModel, spotMarket, out);
        idle(setup, run, byModel, out);
        return out;
    }

    private static void consolidate(SimulationSetup setup, Map<String, RunResult.Totals> cost, List<Recommendation> out) {
        for (PoolShape pool : setup.pools().values()) {
            if (!pool.isGpu() || pool.sharing() != SharingMode.EXCLUSIVE) continue;
            Recommendation best = null;
            double hours = (setup.to() - setup.from()) / 3600;
            for (SharingMode mode : new SharingMode[]{SharingMode.MIG, SharingMode.MPS}) {
                if (!pool.supports(mode) || someModelFitsNowhere(setup, pool, mode)) continue;
                double saving = 0, replicas = 0;
                int models = 0;
                for (ModelSpec m : setup.models()) {
                    if (!m.pool().equals(pool.id())) continue;
                    double share = shareNeeded(m, pool, mode);
                    RunResult.Totals t = cost.get(m.id());
                    if (share < 0.75 && t != null) {
                        saving += t.replicaCostUsd() * (1 - share);
                        replicas += hours > 0 ? (t.gpuHours() - t.spareGpuHours()) / hours : 0;
                        models++;
                    }
                }
                // sharing saves only where replicas can sit together: fewer than two at a time on average leave each
                // alone on its GPU, billed whole, whatever share it needs
                if (models == 0 || replicas < 2 || (best != null && best.predictedSavingUsd() >= saving)) continue;
                best = new Recommendation("consolidate", pool.id(), String.format(java.util.Locale.ROOT,
                        "share %s GPUs with %s: %d %s less than 3/4 of a GPU", pool.id(), mode.name().toLowerCase(Locale.ROOT), models,
                        models == 1 ? "model needs" : "models need"), saving, s -> withPool(s, pool.withSharing(mode)));
            }
            if (best != null) out.add(best);
        }
    }

    /**
     * Whether a model of {@code pool} would fit no node of it shared that way (under MIG: no instance of the GPU holds
     * it, or its named one is smaller than its memory). The change is applied to the whole pool, so such a model's
     * replicas would never start in the re-simulation, however much the others save.
     */
    static boolean someModelFitsNowhere(SimulationSetup setup, PoolShape pool, SharingMode mode) {
        for (ModelSpec m : setup.models())
            if (m.pool().equals(pool.id()) && ReplicaFootprint.of(pool.withSharing(mode), m.needs()).fitsNowhere()) return true;
        return false;
    }

    /**
     * The share of a GPU one replica takes under {@code mode}, as the simulator would pack it there
     * ({@link ReplicaFootprint#packingShare()}): one over the instances of its MIG slice a GPU holds (its named
     * profile, if it has one), or its MPS compute/memory share.
     */
    static double shareNeeded(ModelSpec m, PoolShape pool, SharingMode mode) {
        return ReplicaFootprint.of(pool.withSharing(mode), m.needs()).packingShare();
    }

    private static void rightSize(SimulationSetup setup, RunResult run, Map<String, RunResult.Totals> cost, List<Recommendation> out) {
        Map<String, List<RunResult.SeriesRow>> rows = new LinkedHashMap<>();
        for (RunResult.SeriesRow r : run.series()) rows.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
        double reportSeconds = setup.reportInterval().toNanos() / 1e9;
        for (ModelSpec m : setup.models()) {
            PoolShape from = setup.pools().get(m.pool());
            RunResult.Totals t = cost.get(m.id());
            if (from == null || !from.isGpu() || t == null || t.replicaCostUsd() <= 0) continue;
            PoolShape best = null;
            double bestSaving = 0;
            for (PoolShape to : setup.pools().values()) {
                if (to == from || !to.isGpu() || to.gpuMemoryBytes() < m.needs().gpuMemoryBytes()) continue;
                Double bwFrom = MEMORY_BANDWIDTH_TBPS.get(from.gpuType()), bwTo = MEMORY_BANDWIDTH_TBPS.get(to.gpuType());
                if (bwFrom == null || bwTo == null) continue;
                double saving = rightSizeSaving(rows.getOrDefault(m.id(), List.of()), t, bwFrom / bwTo,
                        to.pricePerHour() / from.pricePerHour(), reportSeconds, setup.to());
                if (saving > bestSaving) {
                    best = to;
                    bestSaving = saving;
                }
            }
            if (best == null) continue;
            PoolShape to = best;
            double slowdown = MEMORY_BANDWIDTH_TBPS.get(from.gpuType()) / MEMORY_BANDWIDTH_TBPS.get(to.gpuType());
            out.add(new Recommendation("right-size", m.id(), String.format(java.util.Locale.ROOT,
                    "move %s from %s to %s (%.2fx the time per request, %.0f%% of the price per GPU-hour)",
                    m.id(), from.id(), to.id(), slowdown, 100 * to.pricePerHour() / from.pricePerHour()),
                    bestSaving, s -> withModel(s, m.id(), x -> x.withPool(to.id(), scaled(x.latency(), slowdown)))));
        }
    }

    /**
     * What moving a model to a shape {@code slowdown} times as slow at {@code priceRatio} times the price saves to first
     * order: per report row, its replicas' cost × (1 − priceRatio × after / held), held = the row's mean replicas (its
     * replica-hours / its length), after = max(held × slowdown, min(held, 1)): the work takes slowdown times the
     * replica-time, but a replica is whole, so a row that held one replica (or one for part of it) holds at least as
     * much on a faster GPU. Without that floor a model holding one L4 replica was predicted to save 6.5 % on an A100
     * (0.15x the time at 6.4x the price) that costs it 6.4x. Without rows, cost × (1 − priceRatio × slowdown).
     */
    static double rightSizeSaving(List<RunResult.SeriesRow> rows, RunResult.Totals t, double slowdown, double priceRatio,
                                  double reportSeconds, double end) {
        double saving = 0;
        boolean any = false;
        for (RunResult.SeriesRow r : rows) {
            double hours = Math.min(reportSeconds, end - r.start()) / 3600;
            double rowCost = r.costUsd() - r.spareUsd();
            if (!(hours > 0) || !(rowCost > 0) || !(r.replicaHours() > 0)) continue;
            double held = r.replicaHours() / hours;
            double after = Math.max(held * slowdown, Math.min(held, 1));
            saving += rowCost * (1 - priceRatio * after / held);
            any = true;
        }
        return any ? saving : t.replicaCostUsd() * (1 - priceRatio * slowdown);
    }

    private static void spot(SimulationSetup setup, Map<String, RunResult.Totals> cost, SpotMarket market, List<Recommendation> out) {
        for (ModelSpec m : setup.models()) {
            if (m.priority() != PriorityClass.LOW && m.priority() != PriorityClass.BATCH) continue;
            RunResult.Totals t = cost.get(m.id());
            PoolShape from = setup.pools().get(m.pool());
            if (t == null || from == null || t.replicaCostUsd() <= 0) continue;
            PoolShape spot = new PoolShape(from.id() + "-spot", from.gpuType(), from.gpusPerNode(), from.gpuMemoryBytes(), from.cpuCores(),
                    from.hostMemoryBytes(), from.pricePerHour() * (1 - SPOT_DISCOUNT), from.provisioningDelay(), from.sharing(),
                    0, from.maxNodes(), "spot: " + (int) (100 * SPOT_DISCOUNT) + " % off " + from.id(), from.migReconfigurationDelay());
            out.add(new Recommendation("spot", m.id(), String.format(java.util.Locale.ROOT,
                    "run %s-priority %s on spot %s (%.0f %% off; re-simulated with %s)",
                    m.priority().name().toLowerCase(Locale.ROOT), m.id(), from.id(), 100 * SPOT_DISCOUNT, market.describe()),
                    t.replicaCostUsd() * SPOT_DISCOUNT, s -> withModel(withPool(s, spot), m.id(), y -> y.withPool(spot.id(), y.latency()))
                            .withCluster(s.cluster().withSpot(spot.id(), market))));
        }
    }

    private static void idle(SimulationSetup setup, RunResult run, Map<String, RunResult.Totals> cost, List<Recommendation> out) {
        Map<String, List<RunResult.SeriesRow>> rows = new LinkedHashMap<>();
        for (RunResult.SeriesRow r : run.series()) rows.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
        double reportSeconds = setup.reportInterval().toNanos() / 1e9;
        for (ModelSpec m : setup.models()) {
            RunResult.Totals t = cost.get(m.id());
            PoolShape pool = setup.pools().get(m.pool());
            // a model with no requests is not skipped: a floor it holds for nothing is the idlest case of all
            if (t == null || pool == null || t.costUsd() <= 0) continue;
            IdleSizing z = IdleSizing.of(rows.getOrDefault(m.id(), List.of()), m, reportSeconds, setup.to());
            if (z == null || z.utilization() >= IDLE_UTILIZATION) continue;
            String busy = String.format(Locale.ROOT, "%s keeps its replicas busy %.1f %% of the time (%.2f held on average, at most %.2f busy on average in a report interval)",
                    m.id(), 100 * z.utilization(), z.meanHeld(), z.peakBusy());
            if (!(z.predictedSavingUsd() > 0)) {
                out.add(new Recommendation("idle", m.id(), busy + ": it holds no more than its busiest interval needs; only a policy that scales it to zero between bursts would save", 0, null));
                continue;
            }
            int cap = z.cap();
            String floor = m.minReplicas() > 0 ? " and drop its minReplicas floor of " + m.minReplicas() + " to 0" : "";
            out.add(new Recommendation("idle", m.id(), busy + ": cap it at " + cap + (cap == 1 ? " replica" : " replicas") + floor, z.predictedSavingUsd(),
                    s -> withModel(s, m.id(), x -> x.withReplicaRange(0, cap))));
        }
    }

    private static LatencyProfile scaled(LatencyProfile p, double f) {
        return new LatencyProfile(p.baseSeconds() * f, p.perItemSeconds() * f, p.perInputTokenSeconds() * f, p.perOutputTokenSeconds() * f);
    }

    static SimulationSetup withPool(SimulationSetup s, PoolShape pool) {
        Map<String, PoolShape> pools = new LinkedHashMap<>(s.pools());
        pools.put(pool.id(), pool);
        return s.with(s.models(), pools, withPrice(s, pool));
    }

    static SimulationSetup withModel(SimulationSetup s, String id, java.util.function.UnaryOperator<ModelSpec> change) {
        return s.with(s.models().stream().map(m -> m.id().equals(id) ? change.apply(m) : m).toList(), s.pools(), s.costModel());
    }

    private static io.prescale.core.cost.CostModel withPrice(SimulationSetup s, PoolShape pool) {
        Map<String, Double> prices = new LinkedHashMap<>(s.costModel().pricePerNodeHour());
        prices.put(pool.id(), pool.pricePerHour());
        return new io.prescale.core.cost.CostModel(prices, s.costModel().sloViolationUsd());
    }
}
