package io.prescale.live.registry;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Yaml;
import io.prescale.live.metrics.LiveMetrics;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.serve.ServeListener;
import io.prescale.live.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Registered models: their registrations persisted one JSON file each under {@code state/models/} (atomic,
 * durable writes) and their running servers. A registration is persisted only once its file has loaded.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final Path dir;
    private final ModelStore store;
    private final LiveMetrics metrics;
    private final Executor loader;
    private final double pricePerCoreHour;
    private final int maxModels;
    private final Map<String, ModelServer> servers = new ConcurrentHashMap<>();
    /** Models removed whose replicas may still be open (draining): the pool counts them until they close. */
    private final java.util.Set<ModelServer> leaving = ConcurrentHashMap.newKeySet();
    private final LocalPool pool;
    private volatile java.util.function.Consumer<String> onRemoved = name -> {};
    private boolean closed; // guarded by this

    public ModelRegistry(Path stateDir, ModelStore store, LiveMetrics metrics, Executor loader, double pricePerCoreHour, int maxModels) {
        this(stateDir, store, metrics, loader, pricePerCoreHour, maxModels, LocalPool.Capacity.local());
    }

    /** @param capacity the machine's CPU threads (and GPUs) the models' replicas are placed on ({@link LocalPool}) */
    public ModelRegistry(Path stateDir, ModelStore store, LiveMetrics metrics, Executor loader, double pricePerCoreHour, int maxModels,
                         LocalPool.Capacity capacity) {
        this.pool = new LocalPool(capacity, () -> {
            // a removed model's replicas hold their threads and memory until they close: counted till then
            leaving.removeIf(s -> s.replicasHeld() == 0);
            if (leaving.isEmpty()) return servers.values();
            List<ModelServer> all = new ArrayList<>(servers.values());
            all.addAll(leaving);
            return all;
        });
        this.dir = stateDir.resolve("models");
        this.store = store;
        this.metrics = metrics;
        this.loader = loader;
        this.pricePerCoreHour = pricePerCoreHour;
        if (maxModels < 1) throw new IllegalArgumentException("maxModels must be at least 1, got " + maxModels);
        this.maxModels = maxModels;
    }

    public ModelStore store() {
        return store;
    }

    /** The pool the replicas are placed on. */
    public LocalPool pool() {
        return pool;
    }

    /**
     * Re-registers every persisted model (a restart); returns one line per model that could not load. Models are placed
     * in priority order (critical first; by name within a class), each with its first replicas (its minimum, at least
     * one) where they fit beside those placed before it, as a registration's: a pool smaller than the one they were
     * registered on (serve --cpu-threads, --gpu-memory-mb lowered) holds the most important ones, and the rest are
     * restored with no replica, their reason said ({@link ModelServer#unplacedReason}) and logged, still registered
     * (file and all) until a policy's scale-up or an arrival finds room for them. A model whose minReplicas is 0 needs no
     * room to be registered: it is restored at zero replicas, "scaled-to-zero" as one a policy scaled down, not unplaced.
     */
    public List<String> restore() {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) return problems;
        List<ModelRegistration> found = new ArrayList<>();
        Map<String, Path> from = new java.util.HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                ModelRegistration reg;
                String name = f.getFileName().toString().replaceFirst("\\.json$", "");
                try {
                    reg = Yaml.json().readValue(f.toFile(), ModelRegistration.class);
                    String wrong = reg == null ? "not a registration (the JSON value null)"
                            : !reg.name().equals(name) ? "holds the registration of '" + reg.name() + "', filed under another name (a model's is NAME.json)"
                            : null;
                    if (wrong != null) {
                        // served under the name it holds, a DELETE of that name left this file to bring it back at the next
                        // start; beside that name's own file, it opened a second server the registry lost track of
                        problems.add(setAsideSaying(f, name, wrong));
                        continue;
                    }
                } catch (JsonProcessingException e) {
                    // not a registration: kept aside, where a registration under its name would otherwise overwrite it unseen
                    problems.add(setAsideSaying(f, name, unreadable(e)));
                    continue;
                } catch (IOException | RuntimeException e) {
                    problems.add(f.getFileName() + ": " + e.getMessage());
                    LOG.warn("cannot restore {}: {}", f, e.getMessage());
                    continue;
                }
                found.add(reg);
                from.put(reg.name(), f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // by priority, then name (the order they were read in): what does not fit is the least important
        found.sort(java.util.Comparator.comparing(ModelRegistration::priorityClass));
        for (ModelRegistration reg : found) {
            Path f = from.get(reg.name());
            String unplaced = null;
            try {
                pool.reserve(reg); // as a registration's first replicas: beside those placed before it
            } catch (ConfigException e) { // PoolFullException (beside the others), or never on this pool
                unplaced = e.getMessage();
            }
            try {
                ModelServer server = open(reg, unplaced == null ? Math.max(1, reg.minReplicas()) : 0);
                if (unplaced != null && reg.minReplicas() == 0) {
                    // none is its minimum: it is registered as it must be, at zero replicas as one scaled down, not
                    // "unplaced" (which says it lacks the replicas it needs) until an arrival happens to find room
                    LOG.info("model '{}' restored at zero replicas (minReplicas 0): its first replica does not fit now ({}); an arrival "
                            + "starts one where it fits", reg.name(), unplaced);
                } else if (unplaced != null) {
                    String why = "restored with no replica: " + unplaced + " (placed in priority order at the start); a policy's "
                            + "scale-up or an arrival places it once there is room";
                    server.unplaced(why);
                    LOG.warn("model '{}' (priority {}) {}", reg.name(), reg.priority(), why);
                }
                servers.put(reg.name(), server);
                LOG.info("restored model '{}' from {}", reg.name(), f.getFileName());
            } catch (RuntimeException | OrtException e) {
                problems.add(f.getFileName() + ": " + e.getMessage());
                LOG.warn("cannot restore {}: {}", f, e.getMessage());
            } finally {
                if (unplaced == null) pool.release(reg.name());
            }
        }
        return problems;
    }

    /** What is wrong with a registration file Jackson could not read: "line L, column C: reason", or "field: reason". */
    static String unreadable(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof ConfigException c) return c.getMessage(); // the record's own check
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        String where = at != null && at.getLineNr() > 0 ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " : "";
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty())
            return where + io.prescale.core.config.BindingErrors.path(m) + ": " + io.prescale.core.config.BindingErrors.reason(m);
        // Jackson's own text without its location suffix ("at [Source: REDACTED ...]")
        return where + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("").trim();
    }

    /** Sets {@code f} aside ({@link #setAside}) and says why, and where it went, in the log; returns the problem's line. */
    private static String setAsideSaying(Path f, String name, String why) {
        Path aside = setAside(f);
        String problem = f.getFileName() + ": " + why + (aside == null ? ""
                : " (kept aside as " + aside.getFileName() + ": registering '" + name + "' again writes a new " + f.getFileName() + ")");
        LOG.warn("cannot restore {}", problem);
        return problem;
    }

    /** Renames an unreadable registration to NAME.json.corrupt (or .corrupt.2, ... when taken); null if it could not be moved. */
    private static Path setAside(Path f) {
        try {
            Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
            for (int i = 2; Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) aside = f.resolveSibling(f.getFileName() + ".corrupt." + i);
            DurableFiles.move(f, aside); // synced: a power cut does not bring it back
            return aside;
        } catch (IOException e) {
            LOG.warn("cannot set {} aside: {}", f, e.toString());
            return null;
        }
    }

    /**
     * Loads, warms and persists a new model. ConfigException (bad file/field), OrtException (not loadable),
     * DuplicateModelException, RegistryFullException (at the limit; models restored at start count, and are all
     * restored even past a lowered limit).
     */
    public synchronized ModelServer register(ModelRegistration reg) throws OrtException {
        if (closed) throw new RegistryClosedException(reg.name());
        // what is wrong with the request itself first: a path outside the store or no file there was answered 409 for a
        // name taken or a full pool, which says nothing of the path and is not the client's to wait out
        store.resolve(reg.file());
        if (servers.containsKey(reg.name())) throw new DuplicateModelException(reg.name());
        requireRoom();
        pool.reserve(reg); // its first replicas must fit beside the others' (held while it loads: the control loop places meanwhile)
        try {
            ModelServer server = open(reg);
            try {
                DurableFiles.write(file(reg.name()), Yaml.json().writeValueAsBytes(reg));
            } catch (JsonProcessingException | RuntimeException e) {
                server.close();
                metrics.unregister(reg.name());
                throw new IllegalStateException("cannot persist registration of '" + reg.name() + "': " + e.getMessage(), e);
            }
            servers.put(reg.name(), server);
            return server;
        } finally {
            pool.release(reg.name());
        }
    }

    /** Throws RegistryFullException at the limit: an upload checks it before it takes the file. */
    public void requireRoom() {
        if (servers.size() >= maxModels) throw new RegistryFullException(maxModels);
    }

    private ModelServer open(ModelRegistration reg) throws OrtException {
        return open(reg, Math.max(1, reg.minReplicas()));
    }

    /** {@code replicas}: its first ones (0: none, a model restored past a smaller pool; see {@link ModelServer#open}). */
    private ModelServer open(ModelRegistration reg, int replicas) throws OrtException {
        Path path = store.resolve(reg.file());
        ForwardingListener listener = new ForwardingListener();
        ModelServer server = onNativeThread(() -> ModelServer.open(reg, path, loader, listener, replicas));
        server.placeOn(pool::startFromZero); // an arrival at zero replicas starts one only where it fits
        listener.target = metrics.register(reg.name(), server, pricePerCoreHour * reg.resources().cpuThreads());
        listener.target.replicaLoaded(server.lastLoadNanos(), false); // the first load happened before the meters existed
        return server;
    }

    private interface Load {
        ModelServer run() throws OrtException;
    }

    /** Runs a session load on a big-stack thread (see NativeThreads), whatever thread asked for it. */
    private static ModelServer onNativeThread(Load load) throws OrtException {
        java.util.concurrent.CompletableFuture<ModelServer> f = new java.util.concurrent.CompletableFuture<>();
        io.prescale.live.onnx.NativeThreads.create(() -> {
            try {
                f.complete(load.run());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        }, "model-open").start();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof OrtException o) throw o;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /** The listener exists before the server (which reports its first load while opening); meters attach after. */
    private static final class ForwardingListener implements ServeListener {
        volatile ServeListener target = ServeListener.NONE;
        @Override public void served(long latencyNanos) { target.served(latencyNanos); }
        @Override public void batchRun(int batchSize, long runNanos) { target.batchRun(batchSize, runNanos); }
        @Override public void rejected(io.prescale.live.serve.Rejection.Kind kind) { target.rejected(kind); }
        @Override public void replicaLoaded(long loadNanos, boolean coldStart) { target.replicaLoaded(loadNanos, coldStart); }
    }

    public Optional<ModelServer> get(String name) {
        return Optional.ofNullable(servers.get(name));
    }

    /** Servers by name, in name order. */
    public Collection<ModelServer> all() {
        return new TreeMap<>(servers).values();
    }

    /**
     * Called with a removed model's name while the registry is locked, before any model can be registered again under
     * it: what others keep per model name (the control loop's forecasts and policy state) is forgotten there, so a
     * successor starts afresh and models removed over time leave nothing behind.
     */
    public void onRemoved(java.util.function.Consumer<String> listener) {
        this.onRemoved = listener;
    }

    /**
     * Drains and removes the model {@code name} holds now; its registration file goes first so a crash mid-drain does not
     * bring it back. Its meters go with it from the registry at once: a model registered again under its name while it
     * drains gets meters of its own, which removing the old ones by name after the drain would take away.
     */
    public Optional<Removal> remove(String name, Duration grace) throws InterruptedException {
        ModelServer server = get(name).orElse(null);
        if (server == null || !detach(name, server, () -> {})) return Optional.empty();
        return Optional.of(new Removal(server, server.drain(grace)));
    }

    /**
     * Takes {@code expected} out of the registry (registration file, meters, what others keep per name) if its name still
     * holds it, without draining it (the caller drains it: {@link ModelServer#drain}); false when it was removed meanwhile,
     * and then nothing is touched: the name may hold another model by now, which stays as it is. {@code beforeRemoval}
     * runs under the registry's lock once the removal is certain, before the registration file goes (to mark what a
     * crash from there on leaves to clean up).
     */
    public synchronized boolean detach(String name, ModelServer expected, Runnable beforeRemoval) {
        if (servers.get(name) != expected) return false;
        beforeRemoval.run();
        leaving.add(expected);
        servers.remove(name);
        DurableFiles.delete(file(name));
        metrics.unregister(name);
        onRemoved.accept(name);
        return true;
    }

    /**
     * Whether a registration reads {@code file} (a path inside the store), whatever its name: a served one, or one on file
     * under {@code state/models/}, which is kept even when this start could not restore it (a start that can will read
     * its file). Each counts by the file it names, read from the registration itself; one whose file cannot be read from
     * it is taken to read its own upload. An upload nothing reads may be removed.
     */
    public boolean mayRead(String file) {
        Path wanted;
        try {
            wanted = Path.of(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
        for (ModelServer s : servers.values()) if (names(s.registration().file(), wanted)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> files = Files.list(dir)) {
            // registrations, and those set aside as unreadable (NAME.json.corrupt[.N]): their upload is kept for a look
            for (Path f : files.filter(p -> REGISTRATION_ON_FILE.matcher(p.getFileName().toString()).matches()).toList()) {
                java.util.regex.Matcher m = REGISTRATION_ON_FILE.matcher(f.getFileName().toString());
                String name = m.matches() ? m.group(1) : "";
                String reads;
                try {
                    reads = Yaml.json().readTree(f.toFile()).path("file").textValue();
                } catch (IOException | RuntimeException e) {
                    reads = null;
                }
                if (names(reads != null ? reads : "uploads/" + name + ".onnx", wanted)) return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return false;
    }

    private static final java.util.regex.Pattern REGISTRATION_ON_FILE = java.util.regex.Pattern.compile("([^.][^/]*)\\.json(?:\\.corrupt(?:\\.\\d+)?)?");

    private static boolean names(String file, Path wanted) {
        try {
            return Path.of(file).normalize().equals(wanted);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * A removed model: {@code drained} when everything queued and in flight finished within the grace period (else the rest was answered 503).
     */
    public record Removal(ModelServer model, boolean drained) {}

    private Path file(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) throw new ConfigException("name", "invalid model name");
        return dir.resolve(name + ".json");
    }

    /** Waits for a registration in progress (which loads under the lock) and closes it too; later ones are refused. */
    @Override
    public synchronized void close() {
        closed = true;
        for (ModelServer s : servers.values()) s.close();
        servers.clear();
    }
}
