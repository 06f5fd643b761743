package io.prescale.live.registry;

import io.prescale.core.config.ConfigException;
import io.prescale.core.text.Plural;
import io.prescale.live.serve.ModelServer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This machine as the pool replicas are placed on: a number of CPU threads, and the memory of each GPU where GPUs are
 * known. A replica takes its model's {@code resources.cpuThreads} (its intra-op threads) and, on a GPU, its
 * {@code resources.gpuMemoryMb} of its {@code cudaDevice}, from when it is asked for (starting or ready) until it is
 * closed (a removed model's replicas still draining count until they close). No oversubscription: a replica's threads are cores it runs on, as in the simulator's pools; to share cores
 * among more threads (idle models cost none), declare more threads ({@code serve --cpu-threads}). A registration whose
 * first replicas cannot be placed is refused; a scale-up is cut to what fits ({@link #scale}).
 */
public final class LocalPool {
    /**
     * @param cpuThreads  intra-op threads the replicas may hold together
     * @param gpuMemoryMb memory of each GPU, by CUDA device index (empty: no GPU known; a GPU replica then runs on CPU)
     * @param enforced    whether placement is refused or cut past the capacity (false: counted and reported only)
     */
    public record Capacity(int cpuThreads, List<Long> gpuMemoryMb, boolean enforced) {
        public Capacity {
            if (cpuThreads < 1) throw new IllegalArgumentException("the pool needs at least 1 CPU thread, got " + cpuThreads);
            gpuMemoryMb = List.copyOf(gpuMemoryMb);
            for (long g : gpuMemoryMb) if (g < 1) throw new IllegalArgumentException("a GPU's memory must be >= 1 MB, got " + g);
        }

        /** This machine's cores, no GPU. */
        public static Capacity local() {
            return new Capacity(Runtime.getRuntime().availableProcessors(), List.of(), true);
        }

        /** This machine's cores and GPUs, counted but never refused or cut (a pool with a node per replica, as fidelity's simulated one). */
        public static Capacity unbounded() {
            return new Capacity(Runtime.getRuntime().availableProcessors(), List.of(), false);
        }
    }

    /** What is placed now: CPU threads, and GPU memory in MB per device (as many as the capacity knows). */
    public record Usage(int cpuThreadsUsed, int cpuThreads, List<Long> gpuMemoryUsedMb, List<Long> gpuMemoryMb) {}

    /** A scale-up asked for and what was placed of it. */
    public record Placed(int asked, int placed, String why) {
        public boolean inFull() {
            return placed >= asked;
        }
    }

    private final Capacity capacity;
    private final Supplier<Collection<ModelServer>> servers;
    /** Registrations being loaded: their first replicas are held for them (guarded by this). */
    private final Map<String, ModelRegistration> pending = new HashMap<>();

    public LocalPool(Capacity capacity, Supplier<Collection<ModelServer>> servers) {
        this.capacity = capacity;
        this.servers = servers;
    }

    public Capacity capacity() {
        return capacity;
    }

    private static int threads(ModelRegistration r) {
        return r.resources().cpuThreads();
    }

    /** The GPU a replica of {@code r} takes memory of, or -1 (a CPU replica, or no GPU known). */
    private int gpu(ModelRegistration r) {
        return r.resources().gpuMemoryMb() > 0 && !capacity.gpuMemoryMb().isEmpty() ? r.resources().cudaDevice() : -1;
    }

    /**
     * Holds the first replicas of a registration (as many as {@code minReplicas}, at least one: the one loaded to check
     * the file) until {@link #release}: ConfigException naming the field when they can never fit this pool,
     * PoolFullException (naming it too) when they do not fit beside what is placed now.
     */
    public synchronized void reserve(ModelRegistration reg) {
        int n = Math.max(1, reg.minReplicas());
        int t = threads(reg);
        String field = n == 1 ? "resources.cpuThreads" : "minReplicas";
        String asked = n == 1 ? "a replica's " + Plural.count(t, "thread", "threads")
                : n + " replicas x " + Plural.count(t, "thread", "threads") + " (" + n * t + ")";
        if (capacity.enforced()) {
            if ((long) n * t > capacity.cpuThreads())
                throw new ConfigException(field, asked + " exceed the pool's " + capacity.cpuThreads() + " CPU threads (serve --cpu-threads; "
                        + "default the machine's cores)" + (n > 1 ? ": lower minReplicas or resources.cpuThreads" : ""));
            int used = usedThreads();
            if (used + (long) n * t > capacity.cpuThreads())
                throw new PoolFullException(field, asked + " do not fit beside what is placed: " + used + " of the pool's " + capacity.cpuThreads()
                        + " CPU threads are held (" + holders() + "), " + (capacity.cpuThreads() - used) + " free");
            int d = gpu(reg);
            if (d >= capacity.gpuMemoryMb().size())
                throw new ConfigException("resources.cudaDevice", "no GPU " + d + " on this machine (" + capacity.gpuMemoryMb().size() + " known)");
            if (d >= 0) {
                long mb = reg.resources().gpuMemoryMb(), cap = capacity.gpuMemoryMb().get(d);
                String gField = n == 1 ? "resources.gpuMemoryMb" : "minReplicas";
                if (n * mb > cap)
                    throw new ConfigException(gField, n + " x " + mb + " MB exceed GPU " + d + "'s " + cap + " MB");
                long gUsed = usedGpuMb(d);
                if (gUsed + n * mb > cap)
                    throw new PoolFullException(gField, n + " x " + mb + " MB do not fit on GPU " + d + ": " + gUsed + " of its " + cap + " MB are held, "
                            + (cap - gUsed) + " free");
            }
        }
        pending.put(reg.name(), reg);
    }

    /** Ends the hold of {@link #reserve} (the model is registered, and counted by its replicas, or it failed). */
    public synchronized void release(String name) {
        pending.remove(name);
    }

    /**
     * Scales {@code s} to {@code wanted} replicas (clamped to its min and max), a scale-up cut to what fits beside the
     * other models' replicas (never below what it holds now); returns what was asked and placed.
     */
    public synchronized Placed scale(ModelServer s, int wanted) {
        ModelRegistration r = s.registration();
        int asked = Math.max(r.minReplicas(), Math.min(r.maxReplicas(), wanted));
        int current = s.target();
        if (asked <= current || !capacity.enforced()) return new Placed(asked, s.scaleTo(asked), "");
        int t = threads(r);
        int free = capacity.cpuThreads() - (usedThreads() - current * t);
        int fits = free / t;
        String why = String.format(Locale.ROOT, "the pool's %d CPU threads hold %d of its %s-thread replicas beside the others' %d",
                capacity.cpuThreads(), Math.max(0, fits), t, capacity.cpuThreads() - free);
        int d = gpu(r);
        if (d >= 0 && d < capacity.gpuMemoryMb().size()) {
            long mb = r.resources().gpuMemoryMb();
            long gFree = capacity.gpuMemoryMb().get(d) - (usedGpuMb(d) - current * mb);
            int gFits = (int) Math.min(Integer.MAX_VALUE, gFree / mb);
            if (gFits < fits) {
                fits = gFits;
                why = String.format(Locale.ROOT, "GPU %d's %d MB hold %d of its %d MB replicas beside the others' %d MB", d,
                        capacity.gpuMemoryMb().get(d), Math.max(0, gFits), mb, capacity.gpuMemoryMb().get(d) - gFree);
            }
        }
        int placed = Math.max(current, Math.min(asked, fits));
        if (placed < r.minReplicas()) {
            // a model holding fewer than its minimum (none: one restored past a smaller pool) takes its minimum together or
            // nothing, as a registration's first replicas: a server never holds fewer than its minimum but none
            return new Placed(asked, current, Math.min(asked, fits) > current
                    ? why + "; its minReplicas " + r.minReplicas() + " are placed together or not at all" : why);
        }
        s.scaleTo(placed);
        return new Placed(asked, placed, placed < asked ? why : "");
    }

    /**
     * Starts the replicas of {@code s} an arrival asks for when it has none (its minimum, at least one), if they fit beside
     * the others': null when they were started or none were needed (a replica is starting already), else why they do
     * not fit. Under this pool's lock, so two arrivals cannot both take the last room.
     */
    public synchronized String startFromZero(ModelServer s) {
        if (s.target() > 0) return null;
        Placed p = scale(s, 1);
        return p.placed() > 0 ? null : p.why();
    }

    /** What is placed now. */
    public synchronized Usage usage() {
        List<Long> gpuUsed = new ArrayList<>();
        for (int d = 0; d < capacity.gpuMemoryMb().size(); d++) gpuUsed.add(usedGpuMb(d));
        return new Usage(usedThreads(), capacity.cpuThreads(), gpuUsed, capacity.gpuMemoryMb());
    }

    private int usedThreads() {
        long used = 0;
        for (ModelServer s : servers.get()) used += (long) s.replicasHeld() * threads(s.registration());
        for (ModelRegistration r : pending.values()) used += (long) Math.max(1, r.minReplicas()) * threads(r);
        return (int) Math.min(Integer.MAX_VALUE, used);
    }

    private long usedGpuMb(int device) {
        long used = 0;
        for (ModelServer s : servers.get())
            if (gpu(s.registration()) == device) used += (long) s.replicasHeld() * s.registration().resources().gpuMemoryMb();
        for (ModelRegistration r : pending.values())
            if (gpu(r) == device) used += (long) Math.max(1, r.minReplicas()) * r.resources().gpuMemoryMb();
        return used;
    }

    /** Who holds the threads: "a 2 x 1, b 1 x 4". */
    private String holders() {
        List<String> out = new ArrayList<>();
        for (ModelServer s : servers.get()) {
            int held = s.replicasHeld();
            if (held > 0) out.add(s.name() + (s.draining() ? " (being removed) " : " ") + held + " x " + threads(s.registration()));
        }
        for (ModelRegistration r : pending.values()) out.add(r.name() + " (loading) " + Math.max(1, r.minReplicas()) + " x " + threads(r));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    /**
     * The memory of each GPU {@code nvidia-smi} reports, in MB, by device index; empty when there is none (or it fails).
     * Read once at start.
     */
    public static List<Long> detectGpus() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) return List.of();
            return parseGpuMemory(out);
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** {@code nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits}: one MiB figure per line; empty if any line is not one. */
    static List<Long> parseGpuMemory(String out) {
        List<Long> mb = new ArrayList<>();
        for (String line : out.strip().split("\\R")) {
            if (line.isBlank()) continue;
            try {
                long v = Long.parseLong(line.strip());
                if (v < 1) return List.of();
                mb.add(v);
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        return List.copyOf(mb);
    }
}
