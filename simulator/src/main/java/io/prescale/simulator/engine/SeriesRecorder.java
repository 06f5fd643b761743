package io.prescale.simulator.engine;

import io.prescale.simulator.cluster.ModelServer;
import io.prescale.simulator.cluster.SimulatedCluster;
import io.prescale.simulator.metrics.ModelMetrics;
import io.prescale.simulator.metrics.RunResult.SeriesRow;

import java.util.ArrayList;
import java.util.List;

/** Closes one time-series row per model at each report boundary. */
final class SeriesRecorder {
    private final SimulatedCluster cluster;
    private final List<SeriesRow> rows = new ArrayList<>();
    private double openedAt;
    private long arrived;

    SeriesRecorder(SimulatedCluster cluster, double from) {
        this.cluster = cluster;
        this.openedAt = from;
    }

    void close(double t) {
        close(t, false);
    }

    /** Closes the run's last row: spare node time no interval's use took is shared out now (see CostLedger). */
    void closeLast(double t) {
        close(t, true);
    }

    private void close(double t, boolean last) {
        if (t <= openedAt) {
            if (last) cluster.settleCosts(t, true);
            return;
        }
        cluster.settleCosts(t, last);
        for (int i = 0; i < cluster.models(); i++) {
            ModelServer s = cluster.server(i);
            ModelMetrics m = s.metrics;
            double[] tail = s.busyBookedAfter(t); // a batch running at t is busy in the next row for the rest
            long done = m.repServed + m.repTimedOut + m.repDropped;
            rows.add(new SeriesRow(openedAt, s.spec.id(), m.repArrived, m.repServed, m.repDropped, m.repTimedOut,
                    s.replicaCount(), s.queued(), ModelMetrics.quantileSeconds(m.report, 0.99) * 1000,
                    done > 0 ? m.repSloMet / (double) done : Double.NaN, m.repCostUsd, m.repGpuSeconds / 3600,
                    m.repBusySeconds / 3600, m.repReplicaSeconds / 3600, m.repSpareUsd));
            arrived += m.repArrived;
            m.resetReport();
            s.rebook(tail);
        }
        openedAt = t;
    }

    long arrivedSoFar() {
        return arrived;
    }

    List<SeriesRow> rows() {
        return rows;
    }
}
