package io.prescale.live.cli;

import io.prescale.core.text.Plural;
import io.javalin.util.JavalinBindException;
import io.prescale.core.config.ConfigException;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.forecast.Forecaster;
import io.prescale.live.LiveRuntime;
import io.prescale.live.http.LiveServer;
import io.prescale.live.loop.CatalogPolicyFactory;
import io.prescale.live.loop.LiveUnsupportedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code prescale serve}: the live runner's HTTP API over real ONNX Runtime replicas, driven by the IRM loop. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve ONNX models over HTTP (/models /predict /v2/models/{name}/infer /metrics /policies /openapi.json).",
                "Binds 127.0.0.1 by default. Models, policies and demand history persist under --state and come back after a crash.",
                "GPU: a model registered with resources.gpuMemoryMb > 0 runs on ONNX Runtime's CUDA provider (a -Pgpu build with CUDA 12),",
                "else, with PRESCALE_TORCH_PYTHON naming a python with torch and onnx, in a PyTorch process on the GPU; else on CPU."},
        footer = {"", "Examples:",
                "  prescale serve                                  127.0.0.1:8080",
                "  prescale serve --port 9000 --policy winner.yaml   a sweep's winning policy",
                "  prescale serve --token \"$(openssl rand -hex 16)\"  changes need the token",
                "Then: curl -s localhost:8080/openapi.json, POST /models, POST /predict (live-runner/README.md)."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE}, loopback only)")
    String host;

    @Option(names = "--state", paramLabel = "DIR", description = "state folder: registry, policies, history, decisions (default: "
            + ProjectDefaults.STATE + " " + ProjectDefaults.WHERE + ")")
    Path state;

    @Option(names = "--model-store", paramLabel = "DIR", description = "folder model files are served from; it must exist (default: "
            + ProjectDefaults.MODEL_STORE + " " + ProjectDefaults.WHERE + ", created empty if missing)")
    Path modelStore;

    @Option(names = "--policy", paramLabel = "FILE", description = "policy file to store and activate at start (e.g. a sweep's winner.yaml)")
    Path policy;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token required by calls that change /models or /policies (or env PRESCALE_TOKEN)")
    String token;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "16777216", description = "largest inference body in bytes (default ${DEFAULT-VALUE}); 413 above")
    long maxBody;

    @Option(names = "--max-upload", paramLabel = "BYTES", defaultValue = "536870912", description = "largest model upload in bytes (default ${DEFAULT-VALUE})")
    long maxUpload;

    @Option(names = "--min-request-rate", paramLabel = "BYTES_PER_S", defaultValue = "16384",
            description = "bytes per second a request body must arrive at, over the time the server waits for its bytes (after 2 s of waiting), "
                    + "or it is cut off with 408 (default ${DEFAULT-VALUE}; 0: no floor)")
    long minRequestRate;

    @Option(names = "--max-body-in-flight", paramLabel = "BYTES", description = "request body bytes held at once by all requests together; 429 with Retry-After above "
            + "(default: a quarter of the JVM's heap)")
    Long maxBodyInFlight;

    @Option(names = "--max-connections", paramLabel = "N", description = "connections held open at once; past it new ones wait until one "
            + "closes (default: half the process's file descriptor limit, at most " + LiveServer.Settings.MAX_DEFAULT_CONNECTIONS + ")")
    Integer maxConnections;

    @Option(names = "--price-per-core-hour", paramLabel = "USD", defaultValue = "0.04", description = "USD per CPU core-hour, for the cost metric (default ${DEFAULT-VALUE})")
    double pricePerCoreHour;

    @Option(names = "--forecaster", paramLabel = "ID[:KEY=VALUE,...]",
            description = "Forecaster of the predictive policies (default holt-winters, as in the simulator), e.g. gbt:artifact=models/gbt-servegen.json")
    String forecaster;

    @Option(names = "--max-models", defaultValue = "" + LiveRuntime.Options.DEFAULT_MAX_MODELS, paramLabel = "N",
            description = "models the runner registers at most (default ${DEFAULT-VALUE}); 429 above: each holds a session, a worker thread and its meters")
    int maxModels;

    @Option(names = "--max-policies", defaultValue = "" + LiveRuntime.Options.DEFAULT_MAX_POLICIES, paramLabel = "N",
            description = "policies the runner stores at most (default ${DEFAULT-VALUE}); 429 above for a new one (replacing one is always taken): "
                    + "GET /policies reads every stored file")
    int maxPolicies;

    @Option(names = "--cpu-threads", paramLabel = "N",
            description = "CPU threads the models' replicas may hold together, each its resources.cpuThreads (default: the machine's cores). "
                    + "A registration whose minReplicas do not fit is refused, a policy's scale-up is cut to what fits; "
                    + "more than the cores shares them (idle models cost none)")
    Integer cpuThreads;

    @Option(names = "--gpu-memory-mb", paramLabel = "MB[,MB...]", split = ",",
            description = "memory of each GPU by CUDA device index, that GPU replicas' resources.gpuMemoryMb are placed on "
                    + "(default: as nvidia-smi reports; none without it)")
    java.util.List<Long> gpuMemoryMb;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "on a stop (SIGTERM, Ctrl-C): how long requests in flight may take to be answered while new ones get 503 "
                    + "with Retry-After; what is still in flight then is cut off (default ${DEFAULT-VALUE}; 0s: none)")
    String drainTimeout;

    /**
     * Refuses a port another program listens on before anything is opened or restored: left to the server's start, the
     * refusal came under Javalin's own "ERROR Javalin - Failed to start Javalin" log line. {@code --port 0} takes any free
     * port: nothing to check. Other failures (a host that does not resolve) are left to the start, which names them.
     */
    static void requirePortFree(String host, int port) {
        if (port == 0) return;
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true); // as the server binds: a port left in TIME_WAIT by a runner just stopped is free
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            String m = String.valueOf(e.getMessage());
            String why = m.startsWith("Address already in use") ? "another program is listening on it"
                    : m.startsWith("Permission denied") ? "permission denied (ports below 1024 need administrator rights)"
                    : m.startsWith("Cannot assign requested address") ? host + " is not an address of this machine"
                    : m;
            throw new ConfigException("--port", "cannot listen on " + host + ":" + port + ": " + why + " (--port 0 takes any free port)");
        } catch (java.io.IOException | IllegalArgumentException | SecurityException e) {
            // not a bind refusal: the server's start says what it is
        }
    }

    /**
     * One runner per state folder: a second serve on another port with the same (default) --state started and wrote
     * the same registry, policies, history and decisions log as the first. The lock goes with the process, kill -9
     * included.
     */
    static java.nio.channels.FileLock lockState(Path state) {
        try {
            Files.createDirectories(state);
            java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(state.resolve(".serve.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new ConfigException("--state", state + " is in use by another prescale serve: give each runner its own --state");
            }
            return lock;
        } catch (java.io.IOException e) {
            throw new ConfigException("--state", "cannot use " + state + ": " + e.getMessage());
        }
    }

    /**
     * The model store: a folder named with --model-store must exist and be readable (a mistyped one would otherwise be
     * created empty, and every model restored from it fail); the default one is created when missing (a fresh clone has
     * none until fetch-models.sh runs). Returns whether it was created.
     */
    boolean requireModelStore() {
        boolean named = modelStore != null;
        if (!named) modelStore = ProjectDefaults.modelStore();
        Path shown = modelStore.toAbsolutePath().normalize();
        if (Files.exists(modelStore) && !Files.isDirectory(modelStore))
            throw new ConfigException("--model-store", shown + " is not a folder");
        if (Files.isDirectory(modelStore)) {
            if (!Files.isReadable(modelStore) || !Files.isExecutable(modelStore))
                throw new ConfigException("--model-store", "cannot read the folder " + shown + " (permission denied)");
            return false;
        }
        if (named)
            throw new ConfigException("--model-store", "no such folder: " + shown + " (create it, or leave --model-store out for the project's "
                    + ProjectDefaults.MODEL_STORE + "/, which live-runner/scripts/fetch-models.sh fills)");
        try {
            Files.createDirectories(modelStore);
        } catch (java.io.IOException e) {
            throw new ConfigException("--model-store", "cannot create the default model store " + shown + ": " + e);
        }
        return true;
    }

    /**
     * The bearer token from {@code --token}, else {@code $PRESCALE_TOKEN}; none when neither is given. An empty one is refused
     * (PRESCALE_TOKEN=$UNSET_VARIABLE in a script gives one): no client can send it, as a header's trailing space is dropped
     * ("Bearer " arrives as "Bearer"), so every change was 401 and serve started as if all were well. So is one with a space
     * at either end, a control character or a non-ASCII one, for the same reason: a header's surrounding spaces are dropped
     * and its bytes are not the token's UTF-8.
     */
    static Optional<String> token(String flag, String env) {
        String source = flag != null ? "--token" : "PRESCALE_TOKEN";
        String t = flag != null ? flag : env;
        if (t == null) return Optional.empty();
        if (t.isEmpty())
            throw new ConfigException(source, "is empty: give a token, or " + (flag != null ? "leave --token out" : "unset PRESCALE_TOKEN")
                    + " to run without one");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x21 || c > 0x7e)
                throw new ConfigException(source, "holds " + (c == ' ' ? "a space" : c < 0x21 || c == 0x7f ? "a control character" : "a non-ASCII character")
                        + " at " + (i + 1) + ": a token is visible ASCII (letters, digits, - . _ ~ + / =), which an Authorization header carries as it is");
        }
        return Optional.of(t);
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new ConfigException("--port", "must be in [0, 65535]");
        if (maxModels < 1) throw new ConfigException("--max-models", "must be at least 1, got " + maxModels);
        if (maxPolicies < 1) throw new ConfigException("--max-policies", "must be at least 1, got " + maxPolicies);
        if (cpuThreads != null && cpuThreads < 1) throw new ConfigException("--cpu-threads", "must be at least 1, got " + cpuThreads);
        if (gpuMemoryMb != null) for (long g : gpuMemoryMb) if (g < 1) throw new ConfigException("--gpu-memory-mb", "each GPU's memory must be >= 1 MB, got " + g);
        io.prescale.live.registry.LocalPool.Capacity capacity = new io.prescale.live.registry.LocalPool.Capacity(
                cpuThreads != null ? cpuThreads : Runtime.getRuntime().availableProcessors(),
                gpuMemoryMb != null ? gpuMemoryMb : io.prescale.live.registry.LocalPool.detectGpus(), true);
        java.time.Duration drain = io.prescale.core.config.Durations.parseOption("--drain-timeout", drainTimeout);
        if (drain.isNegative()) throw new ConfigException("--drain-timeout", "must be >= 0");
        io.prescale.forecasting.ForecasterChoice forecasters = forecaster == null ? io.prescale.forecasting.ForecasterChoice.DEFAULT
                : io.prescale.forecasting.ForecasterChoice.parse(forecaster, "--forecaster");
        if (minRequestRate < 0) throw new ConfigException("--min-request-rate", "must be 0 (no floor) or a positive number of bytes per second");
        if (maxBody < 1 || maxBody > Integer.MAX_VALUE - 8) throw new ConfigException("--max-body", "must be in [1, " + (Integer.MAX_VALUE - 8) + "] bytes");
        if (maxUpload < 1) throw new ConfigException("--max-upload", "must be >= 1 byte");
        long inFlight = maxBodyInFlight == null ? LiveServer.Settings.defaultBodiesInFlight(maxBody) : maxBodyInFlight;
        if (inFlight < maxBody) throw new ConfigException("--max-body-in-flight", "must hold at least one body of --max-body (" + maxBody + " bytes)");
        if (maxConnections != null && maxConnections < 1) throw new ConfigException("--max-connections", "must be >= 1, got " + maxConnections);
        int connections = maxConnections != null ? maxConnections : LiveServer.Settings.defaultMaxConnections();
        Optional<PolicyFile> initial = Optional.empty();
        if (policy != null) {
            if (!Files.isRegularFile(policy)) throw new ConfigException("--policy", "no such file: " + policy);
            try {
                initial = Optional.of(PolicyFile.read(policy));
            } catch (ConfigException e) {
                throw policyError(e);
            }
        }
        String secret = token(token, System.getenv("PRESCALE_TOKEN")).orElse(null);
        requirePortFree(host, port);
        if (state == null) state = ProjectDefaults.state();
        boolean storeWasMissing = requireModelStore();
        java.nio.channels.FileLock stateLock = lockState(state); // held while this process lives
        LiveRuntime runtime = LiveRuntime.open(new LiveRuntime.Options(state, modelStore, pricePerCoreHour, new CatalogPolicyFactory(),
                forecasters::forPolicy, InstantSource.system(), maxModels, maxPolicies, capacity));
        runtime.restoreProblems().forEach(p -> System.err.println("warning: model not restored: " + p));
        if (storeWasMissing)
            System.err.println("warning: model store " + modelStore.toAbsolutePath().normalize() + " did not exist and was created empty: models "
                    + "can be uploaded (multipart POST /models); live-runner/scripts/fetch-models.sh fills it");
        LiveServer server;
        Optional<io.prescale.live.loop.ControlLoop.Prepared> prepared = Optional.empty();
        try {
            if (initial.isPresent()) {
                try {
                    prepared = Optional.of(runtime.control().prepare(initial.get()));
                } catch (ConfigException e) {
                    throw policyError(e);
                }
                runtime.control().requireDeployable(initial.get()); // before it is stored: one that cannot run live leaves nothing behind
                try {
                    runtime.policyStore().requireRoomFor(initial.get().name());
                } catch (io.prescale.live.state.PolicyStoreFullException full) {
                    throw new ConfigException("--policy", full.getMessage() + ", or raise --max-policies");
                }
            }
            server = LiveServer.start(runtime, new LiveServer.Settings(host, port, Optional.ofNullable(secret), maxBody, maxUpload, minRequestRate, inFlight,
                    connections));
        } catch (RuntimeException e) {
            runtime.close();
            if (e instanceof LiveUnsupportedException) throw new ConfigException("--policy", e.getMessage());
            if (e instanceof JavalinBindException)
                throw new ConfigException("--port", "cannot listen on " + host + ":" + port + ": " + e.getMessage() + " (--port 0 takes any free port)");
            throw e;
        }
        if (initial.isPresent()) {
            // stored once the server is up: a start that fails (a port in use) leaves no policy behind. Requests are taken
            // by now: stored and activated as one change under the lock /policies takes (as a PUT, then an activation)
            try {
                runtime.storeAndActivate(prepared.orElseThrow());
            } catch (RuntimeException e) {
                server.close();
                runtime.close();
                if (e instanceof io.prescale.live.state.PolicyStoreFullException full) // filled by requests since the check above
                    throw new ConfigException("--policy", full.getMessage() + ", or raise --max-policies");
                throw e;
            }
        }
        runtime.startTimers();
        System.out.printf("prescale serve: http://%s:%d  (state %s, model store %s, %s, policy %s, pool %s%s)%n", host, server.port(),
                state.toAbsolutePath().normalize(), modelStore.toAbsolutePath().normalize(), Plural.count(runtime.registry().all().size(), "model", "models"),
                runtime.control().activeName().orElse("none"), Plural.count(capacity.cpuThreads(), "CPU thread", "CPU threads"),
                capacity.gpuMemoryMb().isEmpty() ? "" : ", GPU memory " + capacity.gpuMemoryMb() + " MB");
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1") && secret == null)
            System.err.println("warning: bound to " + host + " without --token: anyone who can reach it can change models and policies");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // new requests get 503 from here on; those in flight are answered (within --drain-timeout), then counted in the
            // history's last minute as the runtime closes
            int answering = server.requestsInFlight();
            if (answering > 0) System.err.println("prescale serve: stopping, " + Plural.count(answering, "request", "requests")
                    + " in flight (waiting up to " + drainTimeout + ")");
            if (!server.close(drain))
                System.err.println("warning: requests still in flight after --drain-timeout " + drainTimeout + " were cut off");
            runtime.close();
            stop.countDown();
        }, "serve-shutdown"));
        stop.await();
        // the lock's channel is otherwise unreachable after it is taken: a collected channel would release the lock
        java.lang.ref.Reference.reachabilityFence(stateLock);
        return 0;
    }

    /** A mistake in the --policy file, said as "--policy FILE: FIELD: reason" (the file named once, whichever check found it). */
    private ConfigException policyError(ConfigException e) {
        String prefix = policy + ": ";
        String what = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new ConfigException("--policy " + policy, what);
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new ServeCommand()).execute(args));
    }
}
