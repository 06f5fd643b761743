package io.prescale.forecasting;

import io.prescale.core.config.ConfigException;
import io.prescale.forecasting.artifact.Artifacts;
import io.prescale.forecasting.artifact.GbtArtifact;
import io.prescale.forecasting.models.GbtFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForecasterChoiceTest {
    @TempDir
    Path dir;

    @Test
    void reactivePoliciesGetNoneSageServeItsArimaAndPredictiveOnesTheChoice() {
        ForecasterChoice c = ForecasterChoice.parse("seasonal-naive", "--forecaster");
        assertThat(c.forPolicy("reactive.hpa").id()).isEqualTo("none");
        assertThat(c.forPolicy("predictive.sageserve-style").id()).isEqualTo("arima");
        assertThat(c.forPolicy("predictive.headroom").id()).isEqualTo("seasonal-naive");
        assertThat(ForecasterChoice.DEFAULT.forPolicy("predictive.hybrid").id()).isEqualTo("holt-winters");
    }

    @Test
    void paramsAfterTheColonReachTheForecasterAndMistakesNameTheFlag() {
        Path gbt = Synthetic.gbtFixture(dir);
        ForecasterChoice c = ForecasterChoice.parse("gbt:artifact=" + gbt, "--forecaster");
        assertThat(c.params()).containsEntry("artifact", gbt.toString());
        assertThat(c.forPolicy("predictive.headroom").id()).isEqualTo("gbt");
        assertThat(c).hasToString("gbt:artifact=" + gbt);
        assertThatThrownBy(() -> ForecasterChoice.parse("prophecy", "--forecaster")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--forecaster").hasMessageContaining("unknown forecaster 'prophecy'").hasMessageContaining("holt-winters");
        // gbt without its artifact fails when parsed, not at the first policy
        assertThatThrownBy(() -> ForecasterChoice.parse("gbt", "--forecaster")).isInstanceOf(ConfigException.class).hasMessageContaining("--forecaster");
        assertThatThrownBy(() -> ForecasterChoice.parse("gbt:" + gbt, "--forecaster")).hasMessageContaining("is not key=value");
    }

    @Test
    void anArtifactOfAnotherIntervalSaysHowToTrainOneThatFits() {
        // forecast train on a 5-minute trace wrote a 5-minute artifact; the policies forecast on 10-minute counts, and the
        // refusal ("artifact was trained at interval PT5M, forecaster runs at PT10M") did not say what to do
        Path f = dir.resolve("gbt-5m.json");
        Artifacts.write(f, new GbtArtifact(GbtArtifact.SCHEMA, "v", Instant.EPOCH, Duration.ofMinutes(5), 6, GbtFeatures.VERSION,
                GbtFeatures.NAMES, List.of(), Map.of(), Map.of()));
        assertThatThrownBy(() -> ForecasterChoice.parse("gbt:artifact=" + f, "--forecaster")).isInstanceOf(ConfigException.class)
                .hasMessage("--forecaster: forecasters.gbt.artifact: " + f + ": artifact was trained on 5m intervals, this forecaster runs on 10m ones "
                        + "(as simulate, sweep and serve run them): train it with prescale forecast train --interval 10m");
        Path p = dir.resolve("prophet-5m.json");
        Artifacts.write(p, new io.prescale.forecasting.artifact.ProphetArtifact(io.prescale.forecasting.artifact.ProphetArtifact.SCHEMA, "v",
                Instant.EPOCH, Duration.ofMinutes(5), Map.of()));
        assertThatThrownBy(() -> ForecasterChoice.parse("prophet-style:artifact=" + p, "--forecaster"))
                .hasMessageEndingWith(p + ": artifact was trained on 5m intervals, this forecaster runs on 10m ones "
                        + "(as simulate, sweep and serve run them): train it with prescale forecast train --interval 10m");
        // elsewhere (a backtest at 1h) the same fix, without the simulator's interval
        assertThat(Artifacts.intervalMismatch("a.json", Duration.ofMinutes(10), Duration.ofHours(1)))
                .isEqualTo("a.json: artifact was trained on 10m intervals, this forecaster runs on 1h ones: train it with prescale forecast train --interval 1h");
    }

    @Test
    void anArtifactTrainedPastTheScoredWindowsStartIsRefused() {
        Instant end = Instant.parse("1970-01-08T00:00:00Z");
        Path f = dir.resolve("gbt-until.json");
        Artifacts.write(f, new GbtArtifact(GbtArtifact.SCHEMA, "v", Instant.EPOCH, Duration.ofMinutes(10), 6, GbtFeatures.VERSION,
                GbtFeatures.NAMES, List.of(), Map.of("a", end.minusSeconds(600), "b", end), Map.of()));
        ForecasterChoice c = ForecasterChoice.parse("gbt:artifact=" + f, "--forecaster");
        assertThat(c.trainedUntil()).contains(end); // the latest series' end
        c.requireTrainedBefore(end, "--forecaster"); // trained on data up to (not including) the window's start: fine
        assertThatThrownBy(() -> c.requireTrainedBefore(end.minusSeconds(1), "--forecaster")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--forecaster").hasMessageContaining("trained on data up to 1970-01-08T00:00:00Z")
                .hasMessageContaining("forecast train --to");
        assertThat(ForecasterChoice.DEFAULT.trainedUntil()).isEmpty();
    }
}
