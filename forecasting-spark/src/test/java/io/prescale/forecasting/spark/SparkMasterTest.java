package io.prescale.forecasting.spark;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A master URL is checked before a trace is read or a session starts: Spark itself fails late, with stack traces. */
class SparkMasterTest {
    @Test
    void theMastersSparkTakesPassAndOthersNameTheFlag() {
        for (String ok : new String[]{"local", "local[*]", "local[2]", "local[4,2]", "local[4, 2]", "local-cluster[2,1,1024]",
                "spark://h:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://h:443", "mesos://h:5050"})
            assertThatCode(() -> SparkSessions.checkMaster(ok, "--master")).as(ok).doesNotThrowAnyException();
        assertThatCode(() -> SparkSessions.checkMaster(null, "--master")).doesNotThrowAnyException();
        for (String bad : new String[]{"local[0]", "garbage", "", "local[-1]", "spark://nohostport"})
            assertThatThrownBy(() -> SparkSessions.checkMaster(bad, "--master")).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("--master: not a Spark master");
    }
}
