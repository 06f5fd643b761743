package io.prescale.forecasting.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import java.util.Random;

/**
 * Trains the lstm forecaster's net (LSTM + Linear on the last hidden state, L2 loss, Adam) with DJL's
 * PyTorch engine on CPU and hands back plain weights ({@link LstmNet}). PyTorch's native library comes
 * from the pytorch-native-cpu jar on the classpath: DJL is put in offline mode before the engine
 * loads, so nothing is ever downloaded. Training is serialised JVM-wide: the engine's random seed is
 * global, and one training at a time keeps every fit reproducible whatever the number of callers.
 */
public final class LstmTrainer {
    private LstmTrainer() {}

    private static final Object LOCK = new Object();
    private static Engine engine;

    /** Training settings. */
    public record Settings(int hidden, int epochs, int batchSize, float learningRate, int seed) {}

    /** Samples: {@code x} is [n x window x features] row-major, {@code y} is [n x leads]. */
    public record Samples(int n, int window, int features, int leads, float[] x, float[] y) {}

    /** The PyTorch engine, loaded offline on first use; a clear error if the native library is missing. */
    static Engine engine() {
        synchronized (LOCK) {
            if (engine == null) {
                if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
                // one PyTorch thread: these nets are tiny, and OpenMP threads spinning against other work
                // made a 2,000-sample fit 10-40x slower on a shared 2-core machine (measured)
                if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
                if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                try {
                    engine = Engine.getEngine("PyTorch");
                } catch (RuntimeException | UnsatisfiedLinkError e) {
                    throw new IllegalStateException("lstm: DJL's PyTorch engine did not load offline (needs ai.djl.pytorch:pytorch-native-cpu on the classpath): " + e.getMessage(), e);
                }
            }
            return engine;
        }
    }

    /**
     * Fits a net on {@code s}, starting from {@code warm} when given (a daily refit continues from
     * yesterday's weights), else from the engine's seeded initialisation.
     */
    public static LstmNet train(Samples s, LstmNet warm, Settings cfg) {
        synchronized (LOCK) {
            Engine e = engine();
            e.setRandomSeed(cfg.seed());
            try (Model model = Model.newInstance("lstm", Device.cpu(), e.getEngineName())) {
                SequentialBlock net = block(cfg.hidden(), s.leads());
                model.setBlock(net);
                DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(cfg.learningRate())).build())
                        .optDevices(new Device[]{Device.cpu()});
                try (Trainer trainer = model.newTrainer(tc)) {
                    trainer.initialize(new Shape(cfg.batchSize(), s.window(), s.features()));
                    if (warm != null && warm.hidden() == cfg.hidden() && warm.leads() == s.leads() && warm.features() == s.features())
                        load(net, warm);
                    fit(trainer, s, cfg);
                    return export(net, s.features(), cfg.hidden(), s.leads());
                }
            }
        }
    }

    /** DJL's own forward pass of {@code w} on {@code x} [n x window x features]: the reference the Java forward is tested against. */
    static float[] predictWithDjl(LstmNet w, float[] x, int n, int window) {
        synchronized (LOCK) {
            Engine e = engine();
            try (Model model = Model.newInstance("lstm", Device.cpu(), e.getEngineName())) {
                SequentialBlock net = block(w.hidden(), w.leads());
                model.setBlock(net);
                try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optDevices(new Device[]{Device.cpu()}))) {
                    trainer.initialize(new Shape(n, window, w.features()));
                    load(net, w);
                    NDArray in = trainer.getManager().create(x, new Shape(n, window, w.features()));
                    return trainer.evaluate(new NDList(in)).singletonOrThrow().toFloatArray();
                }
            }
        }
    }

    private static SequentialBlock block(int hidden, int leads) {
        return new SequentialBlock()
                .add(LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(new LambdaBlock(in -> new NDList(in.singletonOrThrow().get(":, -1, :"))))
                .add(Linear.builder().setUnits(leads).build());
    }

    private static void fit(Trainer trainer, Samples s, Settings cfg) {
        int n = s.n(), stepX = s.window() * s.features();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random rnd = new Random(cfg.seed());
        NDManager root = trainer.getManager();
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
            for (int b = 0; b < n; b += cfg.batchSize()) {
                int m = Math.min(cfg.batchSize(), n - b);
                float[] xb = new float[m * stepX], yb = new float[m * s.leads()];
                for (int k = 0; k < m; k++) {
                    System.arraycopy(s.x(), order[b + k] * stepX, xb, k * stepX, stepX);
                    System.arraycopy(s.y(), order[b + k] * s.leads(), yb, k * s.leads(), s.leads());
                }
                try (NDManager batch = root.newSubManager()) {
                    NDArray x = batch.create(xb, new Shape(m, s.window(), s.features()));
                    NDArray y = batch.create(yb, new Shape(m, s.leads()));
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(pred));
                        gc.backward(loss);
                    }
                    trainer.step();
                }
            }
        }
    }

    /** Parameter values in block order. */
    private static float[][] params(SequentialBlock net) {
        var list = net.getParameters();
        float[][] out = new float[list.size()][];
        int i = 0;
        for (Pair<String, Parameter> p : list) out[i++] = p.getValue().getArray().toFloatArray();
        return out;
    }

    private static LstmNet export(SequentialBlock net, int features, int hidden, int leads) {
        var names = new java.util.ArrayList<String>();
        for (Pair<String, Parameter> p : net.getParameters()) names.add(p.getKey().toLowerCase(java.util.Locale.ROOT));
        float[][] w = params(net);
        int wIh = find(names, "i2h_weight"), wHh = find(names, "h2h_weight"), bIh = find(names, "i2h_bias"), bHh = find(names, "h2h_bias");
        int wOut = find(names, "linear_weight"), bOut = find(names, "linear_bias");
        return new LstmNet(features, hidden, leads, w[wIh], w[wHh], w[bIh], w[bHh], w[wOut], w[bOut]);
    }

    private static int find(java.util.List<String> names, String suffix) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).endsWith(suffix)) return i;
        throw new IllegalStateException("lstm: DJL parameter *" + suffix + " not found among " + names);
    }

    private static void load(SequentialBlock net, LstmNet w) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            String k = p.getKey().toLowerCase(java.util.Locale.ROOT);  // DJL names them e.g. 01LSTM_l_0_i2h_WEIGHT, 03Linear_bias
            float[] v = k.endsWith("i2h_weight") ? w.wIh() : k.endsWith("h2h_weight") ? w.wHh() : k.endsWith("i2h_bias") ? w.bIh()
                    : k.endsWith("h2h_bias") ? w.bHh() : k.endsWith("linear_weight") ? w.wOut() : w.bOut();
            p.getValue().getArray().set(v);
        }
    }
}
