package io.prescale.forecasting.spark;

import io.prescale.core.config.ConfigException;
import org.apache.spark.sql.SparkSession;

/** Spark sessions for the training jobs: quiet, no UI, bound to loopback when local. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * {@code master}: local[*], local[N], or a cluster URL such as spark://host:7077. Null means the
     * master spark-submit configured ({@code spark.master}), else local[*].
     */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local|local\\[\\s*(\\*|[1-9][0-9]*)\\s*(,\\s*[0-9]+\\s*)?]|local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]"
                    + "|spark://[^\\s/,]+:[0-9]+(,[^\\s/,]+:[0-9]+)*|yarn"
                    + "|(?!spark://)[a-z][a-z0-9+.-]*://\\S+"); // k8s://, mesos:// and external cluster managers

    /**
     * Checks a master URL before anything is read or started (Spark itself would fail late, with stack traces):
     * local, local[*], local[N] (N >= 1), spark://HOST:PORT, yarn, k8s://..., or null (the default).
     */
    public static void checkMaster(String master, String flag) {
        if (master != null && !MASTER.matcher(master).matches())
            throw new ConfigException(flag, "not a Spark master: '" + master + "' (local[*], local[N] with N >= 1, spark://HOST:PORT, yarn, k8s://...)");
    }

    public static SparkSession start(String master, String appName) {
        checkMaster(master, "--master");
        if (master == null) master = System.getProperty("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder()
                .appName(appName)
                .master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "2");
        if (master.startsWith("local")) {
            // SPARK_LOCAL_IP when set, else loopback: no reverse DNS, no firewall prompts
            String ip = System.getenv().getOrDefault("SPARK_LOCAL_IP", "127.0.0.1");
            b.config("spark.driver.host", ip).config("spark.driver.bindAddress", ip);
        }
        return b.getOrCreate();
    }
}
