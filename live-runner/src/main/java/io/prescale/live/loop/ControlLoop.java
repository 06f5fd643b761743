package io.prescale.live.loop;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.Durations;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;
import io.prescale.core.cost.CostModel;
import io.prescale.core.forecast.Forecaster;
import io.prescale.core.loop.Cluster;
import io.prescale.core.loop.DemandAggregator;
import io.prescale.core.loop.IrmLoop;
import io.prescale.core.policy.Decision;
import io.prescale.core.policy.Policy;
import io.prescale.core.policy.PolicyContext;
import io.prescale.live.registry.ModelRegistry;
import io.prescale.live.serve.ModelServer;
import io.prescale.live.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs core's {@link IrmLoop} with the active policy over the live cluster. Whoever owns the clock calls
 * {@link #tick}: the scheduler on the system clock in {@code serve}, a test with a manual clock. Every
 * decision is applied to the pools; those that change something are logged and appended to
 * {@code state/decisions.jsonl} (rotated at 64 MB).
 */
public final class ControlLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);
    private static final int RECENT = 100;
    /** Guards {@link #scaleFromZero} and its copies on the registered models; taken alone or inside this loop's lock. */
    private final Object ruleLock = new Object();
    private boolean scaleFromZero = true; // the active policy's rule: with none, a model starts a replica for an arrival
    static final long MAX_LOG_BYTES = 64L << 20;

    private final Cluster cluster;
    private final ModelRegistry registry;
    private final PolicyFactory factory;
    private final Function<String, Forecaster> forecasters;
    private final Path historyDir;
    private final InstantSource clock;
    private final CostModel costModel;
    private final Path decisionLog;
    private final ArrayDeque<Map<String, Object>> recent = new ArrayDeque<>();
    private final Map<String, Decision> lastLogged = new java.util.HashMap<>();
    private Runnable onApplied = () -> {};
    private Runnable onActivated = () -> {};
    private IrmLoop loop;
    private String activeName;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> ticking;

    /**
     * @param forecasters the forecaster for a policy id (see {@link LiveForecasters#forPolicy})
     * @param historyDir  the runner's demand history, to warm a new forecaster with (null: none)
     */
    public ControlLoop(Cluster cluster, ModelRegistry registry, PolicyFactory factory, Function<String, Forecaster> forecasters,
                       InstantSource clock, CostModel costModel, Path decisionLog, Path historyDir) {
        this.cluster = cluster;
        this.registry = registry;
        this.factory = factory;
        this.forecasters = forecasters;
        this.clock = clock;
        this.costModel = costModel;
        this.decisionLog = decisionLog;
        this.historyDir = historyDir;
    }

    /**
     * A policy file checked against the catalog and built, with the forecaster it runs with (null for a policy that needs
     * the future: checked, never built). Activating it builds nothing again, so the files its forecaster names (a trained
     * artifact, events) are read once per activation. Activate it at most once: the policy and forecaster keep state.
     */
    public record Prepared(PolicyFile file, Policy policy, Forecaster forecaster) {}

    /** Checks a policy file against the catalog and builds it; throws ConfigException naming the field. */
    public Prepared prepare(PolicyFile file) {
        if (!factory.ids().contains(file.policy()))
            throw new ConfigException("policy", "unknown policy '" + file.policy() + "'" + io.prescale.core.config.DidYouMean.suffix(file.policy(), factory.ids())
                    + " (known: " + String.join(", ", new java.util.TreeSet<>(factory.ids())) + ")");
        if (factory.needsOracle(file.policy())) {
            Map<String, Object> known = factory.defaults(file.policy());
            for (String k : file.params().keySet())
                if (!known.containsKey(k))
                    throw new ConfigException("params." + k, "unknown parameter" + io.prescale.core.config.DidYouMean.suffix(k, known.keySet())
                            + " (known: " + String.join(", ", known.keySet()) + ")");
            return new Prepared(file, null, null);
        }
        Forecaster forecaster = forecaster(file);
        return new Prepared(file, build(file, forecaster), forecaster);
    }

    /** Checks a policy file against the catalog; throws ConfigException naming the field. */
    public void validate(PolicyFile file) {
        prepare(file);
    }

    /**
     * The file's own forecaster when it names one (a sweep run with --forecaster writes it), else the runner's. Files it
     * names (a trained artifact, events) are paths inside the model store, as model files are: a policy posted over
     * HTTP must not open any file of the server.
     */
    private Forecaster forecaster(PolicyFile file) {
        if (file.forecaster() == null) return forecasters.apply(file.policy());
        try {
            return io.prescale.forecasting.ForecasterChoice.read(file.forecaster(), "forecaster")
                    .resolvingFiles(f -> registry.store().resolve(f).toString(), "forecaster").build(file.policy(), "forecaster");
        } catch (ConfigException e) {
            // a file that is no artifact was named by its absolute path (and the reader's reason ran on over lines): the
            // client learnt where the model store lives; it is named as the policy named it, inside the store
            String store = registry.store().root().toString() + java.io.File.separator;
            String reason = e.reason().replace(store, "");
            throw new ConfigException(e.path(), reason.lines().findFirst().orElse(reason));
        }
    }

    /** The live runner ticks at most this often: every tick observes every model and may append to the decision log. */
    public static final Duration MIN_CONTROL_INTERVAL = Policy.MIN_LIVE_CONTROL_INTERVAL;

    private Policy build(PolicyFile file, Forecaster forecaster) {
        PolicyContext ctx = new PolicyContext(clock, new SplittableRandom(file.name().hashCode()), forecaster, costModel, Optional.empty());
        Policy policy;
        try {
            policy = factory.create(file.policy(), file.params(), ctx);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) { // a policy's own check on its params
            throw new ConfigException(checkedParam(file, e.getMessage()), e.getMessage());
        }
        if (policy.controlInterval().compareTo(MIN_CONTROL_INTERVAL) < 0)
            throw new ConfigException(intervalParam(file, policy.controlInterval()), "the policy would tick every " + Durations.format(policy.controlInterval())
                    + "; the live runner ticks at most once every " + Durations.format(MIN_CONTROL_INTERVAL));
        return policy;
    }

    /**
     * The parameter a policy's own check names first in its message ("targetUtilization must be in (0, 1]"), when the
     * file gives it: {@code params.targetUtilization}, so a client learns which value to change; else "params".
     */
    private static String checkedParam(PolicyFile file, String message) {
        if (message == null) return "params";
        String first = message.split("[^A-Za-z0-9_]", 2)[0];
        return file.params().containsKey(first) ? "params." + first : "params";
    }

    /**
     * The parameter that set a policy's control interval (each policy names it its own way: tick, syncPeriod,
     * metricsInterval): the one given whose duration is that interval, else "params".
     */
    private static String intervalParam(PolicyFile file, Duration interval) {
        for (var e : file.params().entrySet()) {
            Object v = e.getValue();
            try {
                Duration d = v instanceof Number n ? Durations.ofSeconds(n.doubleValue()) : v instanceof String text ? Durations.parse(text) : null;
                if (interval.equals(d)) return "params." + e.getKey();
            } catch (IllegalArgumentException | ArithmeticException notADuration) {
                // another parameter
            }
        }
        return "params";
    }

    /** Refuses a policy that needs to know the future (the oracle, static peak): it cannot run live. */
    public void requireDeployable(PolicyFile file) {
        if (factory.needsOracle(file.policy()))
            throw new LiveUnsupportedException("policy '" + file.policy() + "' needs the future demand (a DemandOracle): it is a simulation "
                    + "baseline and cannot run live; activate a deployable policy instead");
    }

    /** Makes {@code file} the running policy; refuses policies that need to know the future. */
    public void activate(PolicyFile file) {
        Prepared prepared = prepare(file);
        requireDeployable(file);
        activate(prepared);
    }

    /** Makes a prepared policy the running one; refuses policies that need to know the future. */
    public synchronized void activate(Prepared prepared) {
        PolicyFile file = prepared.file();
        requireDeployable(file);
        // the policy and the loop share one forecaster: the loop feeds it, the policy asks it
        Forecaster forecaster = prepared.forecaster();
        Policy policy = prepared.policy();
        if (historyDir != null) {
            int fed = LiveForecasters.warm(forecaster, historyDir, registry.all().stream().map(ModelServer::name).toList(), clock.instant());
            if (fed > 0) LOG.info("forecaster {} warmed with {} intervals of live history", forecaster.id(), fed);
        }
        loop = new IrmLoop(policy, new DemandAggregator(forecaster), cluster);
        activeName = file.name();
        lastLogged.clear();
        setScaleFromZeroRule(policy.scalesFromZeroOnArrival());
        onActivated.run();
        reschedule();
        LOG.info("policy '{}' ({}) active, ticking every {}", file.name(), file.policy(), Durations.format(policy.controlInterval()));
    }

    public synchronized void deactivate() {
        loop = null;
        activeName = null;
        setScaleFromZeroRule(true);
        reschedule();
    }

    public synchronized Optional<String> activeName() {
        return Optional.ofNullable(activeName);
    }

    public synchronized Optional<Policy> activePolicy() {
        return loop == null ? Optional.empty() : Optional.of(loop.policy());
    }

    /**
     * Forgets a removed model: the running loop's demand buckets, forecaster state and policy state for its name, and
     * its last logged decision. Runs between ticks, so a tick never sees half of it; a model registered again under the
     * name starts afresh, and names registered and removed over time leave nothing behind.
     */
    public synchronized void forget(String model) {
        if (loop != null) loop.forget(model);
        lastLogged.remove("model " + model);
    }

    /**
     * Gives {@code s}, already in the registry, the active policy's scale-from-zero rule. Read and set under the
     * rule's lock, as activations set every model's: read outside it, an activation between the read and the set
     * left a model just registered with the previous policy's rule. Not this loop's lock, which an activation holds
     * while it warms its forecaster (seconds): a registration would wait for that.
     */
    public void applyScaleFromZeroRule(ModelServer s) {
        synchronized (ruleLock) {
            s.autoStartFromZero(scaleFromZero);
        }
    }

    private void setScaleFromZeroRule(boolean rule) {
        synchronized (ruleLock) {
            scaleFromZero = rule;
            for (ModelServer s : registry.all()) s.autoStartFromZero(rule);
        }
    }

    /** One control step at {@code now}: observe, decide, apply, log. No policy: nothing happens. */
    public synchronized List<Decision> tick(Instant now) {
        if (loop == null) return List.of();
        // what each model runs now is what a decision changes or not: after an activation or a restart, whose first tick
        // repeats "scale m to N" for every model, only the ones that change what runs are news
        for (ModelServer s : registry.all()) lastLogged.putIfAbsent("model " + s.name(), new Decision.ScaleModel(s.name(), s.target()));
        List<Decision> decisions = loop.tick(now);
        // a removed model's last decision is forgotten, so a model registered again under its name logs afresh
        lastLogged.keySet().removeIf(k -> k.startsWith("model ") && registry.get(k.substring(6)).isEmpty());
        for (Decision d : decisions) {
            record(now, d);
            if (!(d instanceof Decision.NoOp)) onApplied.run();
        }
        return decisions;
    }

    /**
     * Called as a policy becomes active, under the loop's lock: a tick that was due meanwhile (the old policy's, waiting
     * for the lock) runs only after it, so what it does (the runner starts its observation interval) comes first.
     */
    public synchronized void onActivated(Runnable listener) {
        this.onActivated = listener;
    }

    /** Called once for every decision the loop applies (the runner counts them in its metrics). */
    public synchronized void onDecisionApplied(Runnable listener) {
        this.onApplied = listener;
    }

    private void record(Instant now, Decision d) {
        boolean news = !(d instanceof Decision.NoOp) && changes(d);
        if (news) LOG.info("{} {}: {}", now, activeName, d);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", now.toString());
        entry.put("policy", activeName);
        entry.put("decision", d.getClass().getSimpleName());
        entry.put("detail", d.toString());
        recent.addLast(entry);
        while (recent.size() > RECENT) recent.removeFirst();
        if (decisionLog != null && news) {
            try {
                rotateIfFull();
                DurableFiles.append(decisionLog, (Yaml.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("cannot append to {}: {}", decisionLog, e.getMessage());
            }
        }
    }

    /**
     * Whether {@code d} says something the log does not hold yet: a policy repeats "scale m to 3" every tick while
     * nothing changes, and the log keeps only the first of those. A model's first decision after an activation or a
     * start is compared with the replicas it has (its target), so a policy that keeps them logs nothing; the activation
     * is logged on its own.
     */
    private boolean changes(Decision d) {
        String subject = d instanceof Decision.ScaleModel s ? "model " + s.model()
                : d instanceof Decision.ResizePool r ? "pool " + r.pool() : null;
        return subject == null || !d.equals(lastLogged.put(subject, d));
    }

    /** The log past {@link #MAX_LOG_BYTES} becomes decisions.jsonl.1 (replacing the one before): at most twice that on disk. */
    private void rotateIfFull() throws java.io.IOException {
        if (java.nio.file.Files.exists(decisionLog) && java.nio.file.Files.size(decisionLog) >= MAX_LOG_BYTES)
            DurableFiles.move(decisionLog, decisionLog.resolveSibling(decisionLog.getFileName() + ".1"));
    }

    public synchronized List<Map<String, Object>> recentDecisions() {
        return List.copyOf(recent);
    }

    /** Ticks on the system clock every control interval of the active policy. */
    public synchronized void startTicking(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        reschedule();
    }

    private void reschedule() {
        if (ticking != null) ticking.cancel(false);
        ticking = null;
        if (scheduler == null || loop == null) return;
        long every = Math.max(1, loop.policy().controlInterval().toMillis());
        ticking = scheduler.scheduleAtFixedRate(() -> {
            try {
                tick(clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("control tick failed: {}", e.toString());
            } catch (Error e) {
                // a policy's own bug (an AssertionError, a StackOverflowError): thrown to the executor, it would cancel
                // the ticking for good, without a word
                LOG.warn("control tick failed; the next tick runs as due", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (ticking != null) ticking.cancel(false);
    }
}
