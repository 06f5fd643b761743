package io.prescale.live.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.prescale.core.config.ConfigException;
import io.prescale.core.model.PriorityClass;

import java.time.Duration;

/**
 * What {@code POST /models} takes and what the registry persists. Absent sections take defaults.
 * <pre>
 * {"name": "vad", "file": "silero-vad/silero_vad.onnx",
 *  "resources": {"cpuThreads": 1, "gpuMemoryMb": 0},
 *  "batching": {"maxBatch": 8, "maxQueueDelay": "2ms", "queueCapacity": 256},
 *  "slo": {"latency": "200ms", "target": 0.99}, "timeout": "10s",
 *  "priority": "normal", "minReplicas": 1, "maxReplicas": 4}
 * </pre>
 *
 * @param file path of the ONNX file relative to the model store
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelRegistration(String name, String file, Resources resources, Batching batching, SloSpec slo,
                                Duration timeout, String priority, Integer minReplicas, Integer maxReplicas) {

    /** CPU intra-op threads per replica; GPU memory cap per replica in MiB (0 = CPU replica). */
    public record Resources(Integer cpuThreads, Long gpuMemoryMb, Integer cudaDevice) {
        public Resources {
            if (cpuThreads == null) cpuThreads = 1;
            if (gpuMemoryMb == null) gpuMemoryMb = 0L;
            if (cudaDevice == null) cudaDevice = 0;
            if (cpuThreads < 1 || cpuThreads > 256) throw new ConfigException("resources.cpuThreads", "must be in [1, 256], got " + cpuThreads);
            // a cap in bytes is MB x 2^20: bounded well below where that overflows (1 TB; no GPU has more)
            if (gpuMemoryMb < 0 || gpuMemoryMb > (1L << 20))
                throw new ConfigException("resources.gpuMemoryMb", "must be in [0, 1048576] (1 TB), got " + gpuMemoryMb);
            if (cudaDevice < 0) throw new ConfigException("resources.cudaDevice", "must be >= 0");
        }
    }

    public record Batching(Integer maxBatch, Duration maxQueueDelay, Integer queueCapacity) {
        public Batching {
            if (maxBatch == null) maxBatch = 1;
            if (maxQueueDelay == null) maxQueueDelay = Duration.ofMillis(2);
            if (queueCapacity == null) queueCapacity = 256;
            if (maxBatch < 1 || maxBatch > 4096) throw new ConfigException("batching.maxBatch", "must be in [1, 4096], got " + maxBatch);
            if (maxQueueDelay.isNegative() || maxQueueDelay.compareTo(Duration.ofSeconds(10)) > 0)
                throw new ConfigException("batching.maxQueueDelay", "must be in [0, 10s]");
            if (queueCapacity < 1 || queueCapacity > 1_000_000) throw new ConfigException("batching.queueCapacity", "must be in [1, 1000000], got " + queueCapacity);
        }
    }

    public record SloSpec(Duration latency, Double target) {
        public SloSpec {
            if (latency == null) latency = Duration.ofMillis(200);
            if (target == null) target = 0.99;
            if (latency.isNegative() || latency.isZero()) throw new ConfigException("slo.latency", "must be > 0");
            if (!(target > 0 && target <= 1)) throw new ConfigException("slo.target", "must be in (0, 1], got " + target);
        }
    }

    public ModelRegistration {
        if (name == null || name.isBlank()) throw new ConfigException("name", "missing");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))
            throw new ConfigException("name", "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (file == null || file.isBlank()) throw new ConfigException("file", "missing: a path inside the model store (or upload the file)");
        if (file.chars().anyMatch(Character::isISOControl)) throw new ConfigException("file", "holds a control character");
        if (resources == null) resources = new Resources(null, null, null);
        if (batching == null) batching = new Batching(null, null, null);
        if (slo == null) slo = new SloSpec(null, null);
        if (timeout == null) timeout = Duration.ofSeconds(10);
        if (timeout.isNegative() || timeout.isZero()) throw new ConfigException("timeout", "must be > 0");
        if (priority == null) priority = "normal";
        try {
            PriorityClass.parse(priority);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("priority", e.getMessage());
        }
        if (minReplicas == null) minReplicas = 1;
        if (maxReplicas == null) maxReplicas = Math.max(4, minReplicas);
        if (minReplicas < 0) throw new ConfigException("minReplicas", "must be >= 0");
        if (maxReplicas < Math.max(1, minReplicas)) throw new ConfigException("maxReplicas", "must be >= max(1, minReplicas)");
        if (maxReplicas > 64) throw new ConfigException("maxReplicas", "must be <= 64");
    }

    public PriorityClass priorityClass() {
        return PriorityClass.parse(priority);
    }

    public ModelRegistration withFile(String newFile) {
        return new ModelRegistration(name, newFile, resources, batching, slo, timeout, priority, minReplicas, maxReplicas);
    }
}
