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
