package io.prescale.app;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's slf4j-simple settings (app's simplelogger.properties): library noise off, real problems on. */
class LoggingConfigTest {
    @Test
    void djlsCudaProbeIsQuietOnACpuMachineButItsErrorsAndOtherWarningsShow() {
        // "WARN CudaUtils - Failed to detect GPU count" printed twice per forecast backtest on every CPU-only machine
        Logger cuda = LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils");
        assertThat(cuda.isWarnEnabled()).isFalse();
        assertThat(cuda.isErrorEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("ai.djl.engine.Engine").isWarnEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.prescale.live.Runner").isInfoEnabled()).isTrue();
    }
}
