package io.prescale.forecasting.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions for the training jobs: quiet, no UI, bound to loopback when local. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * {@code master}: local[*], local[N], or a cluster URL such as spark://host:7077. Null means the
     * master spark-submit configured ({@code spark.master}), else local[*].
     */
    public static SparkSession start(String master, String appName) {
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
