package io.prescale.simulator.engine;

import io.prescale.simulator.workload.Workload;
import io.prescale.simulator.workload.WorkloadOracle;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle's end bounds its look-ahead: a request at the window's last instant is still in the future it knows. */
class OracleEndTest {
    @Test
    void theTracesLastRequestIsBeforeTheEnd() {
        // requests at 0, 10, ..., 100 s; a request trace's window ends just after its last request (Math.nextUp(100)),
        // which whole nanoseconds cannot hold: the end must round up, or a look-ahead that stops at the end skips the
        // request at 100 s when a sub-window starts exactly there
        Workload w = RequestRateScaleTest.every10s();
        WorkloadOracle oracle = new WorkloadOracle(w, 0, w.end(), 1.0);
        Instant last = w.origin().plusSeconds(100);
        assertThat(oracle.end()).isAfter(last);
        assertThat(oracle.arrivals("m", last, last.plusSeconds(20))).isEqualTo(1.0);
    }

    @Test
    void anEndOnAWholeNanosecondStaysPut() {
        Workload w = RequestRateScaleTest.every10s();
        WorkloadOracle oracle = new WorkloadOracle(w, 0, 50, 1.0);
        assertThat(oracle.end()).isEqualTo(w.origin().plusSeconds(50));
    }
}
