package io.prescale.app.fidelity;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** fidelity's latency-cdf.png reads as the simulator's charts do. */
class FidelityChartTest {
    @Test
    void latencyTicksArePlainNumbersOnWhiteInFixedColours() {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        curves.put("live runner (client-side, HTTP)", List.of(new double[]{0.9, 0.5}, new double[]{300, 1}));
        curves.put("simulator (aligned)", List.of(new double[]{1.2, 0.5}, new double[]{47, 1}));
        curves.put("simulator (profile only)", List.of(new double[]{0.03, 0.5}, new double[]{0.3, 1}));
        JFreeChart c = FidelityReport.chart(curves);
        LogAxis x = (LogAxis) c.getXYPlot().getDomainAxis();
        // 10^-0.6 was labelled "10^-0.6"; now 0.25, as in the simulator's charts
        assertThat(x.getNumberFormatOverride().format(Math.pow(10, -0.6))).isEqualTo("0.25");
        assertThat(c.getXYPlot().getBackgroundPaint()).isEqualTo(Color.WHITE);
        assertThat(c.getXYPlot().getRenderer().getSeriesPaint(0)).isEqualTo(Color.BLACK);
        assertThat(c.getXYPlot().getRenderer().getSeriesPaint(2)).isNotEqualTo(c.getXYPlot().getRenderer().getSeriesPaint(1));
    }
}
