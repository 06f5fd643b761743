package io.prescale.forecasting.artifact;

import io.prescale.core.config.ConfigException;
import io.prescale.forecasting.ForecasterCatalog;
import io.prescale.forecasting.Synthetic;
import io.prescale.forecasting.TimeGrid;
import io.prescale.forecasting.events.EventCalendar;
import io.prescale.forecasting.models.ProphetFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A damaged or mismatched artifact is refused when the forecaster is built, with the file and the field named. */
class ArtifactIntegrityTest {
    static final Duration TEN_MIN = Synthetic.TEN_MIN;

    @Test
    void aGbtArtifactMissingAFieldNamesTheFileAndTheField(@TempDir Path dir) throws IOException {
        Path good = Synthetic.gbtFixture(dir);
        String json = Files.readString(good);
        for (String field : List.of("interval", "trees", "features", "trainedUntil")) {
            Path f = dir.resolve("gbt-no-" + field + ".json");
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) Artifacts.mapper().readTree(json);
            root.remove(field);
            Files.writeString(f, root.toString());
            assertThatThrownBy(() -> ForecasterCatalog.create("gbt", TEN_MIN, Map.of("artifact", f.toString())))
                    .as(field).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("forecasters.gbt.artifact").hasMessageContaining(f.toString()).hasMessageContaining(field);
        }
    }

    @Test
    void aGbtArtifactWithANaNLeafOrNoStepsIsRefusedNotRunAsAForecast(@TempDir Path dir) throws IOException {
        // a "NaN" leaf gave NaN forecasts without a word
        String json = Files.readString(Synthetic.gbtFixture(dir));
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) Artifacts.mapper().readTree(json);
        root.put("maxSteps", 0);
        Path none = Files.writeString(dir.resolve("gbt-no-steps.json"), root.toString());
        assertThatThrownBy(() -> ForecasterCatalog.create("gbt", TEN_MIN, Map.of("artifact", none.toString())))
                .isInstanceOf(ConfigException.class).hasMessage("forecasters.gbt.artifact: " + none + ": not a valid artifact: 'maxSteps' must be >= 1, got 0");
        root = (com.fasterxml.jackson.databind.node.ObjectNode) Artifacts.mapper().readTree(json);
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.path("trees").path(0).path("value")).set(0, "NaN");
        Path nan = Files.writeString(dir.resolve("gbt-nan.json"), root.toString());
        assertThatThrownBy(() -> ForecasterCatalog.create("gbt", TEN_MIN, Map.of("artifact", nan.toString())))
                .isInstanceOf(ConfigException.class).hasMessage("forecasters.gbt.artifact: " + nan + ": not a valid artifact: trees[0].value[0] is NaN, not a finite number");
    }

    @Test
    void aMistypedFieldOrBrokenJsonIsOneLineNamingTheField(@TempDir Path dir) throws IOException {
        // was Jackson's "Cannot deserialize value of type `java.time.Duration` ..." and a second "at [Source: ...]" line
        String json = Files.readString(Synthetic.gbtFixture(dir));
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) Artifacts.mapper().readTree(json);
        root.put("interval", "banana");
        Path typed = Files.writeString(dir.resolve("gbt-banana.json"), root.toString());
        assertThatThrownBy(() -> Artifacts.readGbt(typed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(typed + ": not a valid prescale.gbt/v1 artifact: interval: ").hasMessageContaining("banana")
                .message().doesNotContain("\n").doesNotContain("java.time");
        Path cut = Files.writeString(dir.resolve("gbt-cut.json"), json.substring(0, 200));
        assertThatThrownBy(() -> Artifacts.readGbt(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(cut + ": not a valid prescale.gbt/v1 artifact: line 1: Unexpected end-of-input")
                .message().doesNotContain("\n").doesNotContain("[Source");
    }

    /** A valid prophet-style artifact of one series "a", written to {@code dir} and read back as a JSON tree to break. */
    private static com.fasterxml.jackson.databind.node.ObjectNode validProphetTree(Path dir) throws IOException {
        ProphetFeatures f = new ProphetFeatures(new TimeGrid(TEN_MIN), 0, new double[0], 1, 0, EventCalendar.EMPTY);
        Path good = dir.resolve("prophet.json");
        Artifacts.write(good, new ProphetArtifact(ProphetArtifact.SCHEMA, "v", Instant.EPOCH, TEN_MIN,
                Map.of("a", new ProphetArtifact.Series(Instant.EPOCH, new double[0], 1, 0, f.names(), new double[f.size()], null))));
        return (com.fasterxml.jackson.databind.node.ObjectNode) Artifacts.mapper().readTree(good.toFile());
    }

    @Test
    void aNaNProphetCoefficientIsRefused(@TempDir Path dir) throws IOException {
        var root = validProphetTree(dir);
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.path("series").path("a").path("coefficients")).set(1, "NaN");
        Path bad = Files.writeString(dir.resolve("prophet-nan.json"), root.toString());
        assertThatThrownBy(() -> ForecasterCatalog.create("prophet-style", TEN_MIN, Map.of("artifact", bad.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("forecasters.prophet-style.artifact: " + bad + ": not a valid artifact: series.a.coefficients[1] is NaN, not a finite number");
    }

    @Test
    void aGbtTreeWithBrokenNodesNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("gbt-bad-tree.json");
        // one tree whose root points at a child that does not exist
        GbtArtifact.Tree bad = new GbtArtifact.Tree(1, new int[]{0, -1}, new double[]{1, 0}, new int[]{1, -1}, new int[]{5, -1}, new double[]{0, 0});
        Artifacts.write(f, new GbtArtifact(GbtArtifact.SCHEMA, "v", Instant.EPOCH, TEN_MIN, 6, io.prescale.forecasting.models.GbtFeatures.VERSION,
                io.prescale.forecasting.models.GbtFeatures.NAMES, List.of(bad), Map.of(), Map.of()));
        assertThatThrownBy(() -> ForecasterCatalog.create("gbt", TEN_MIN, Map.of("artifact", f.toString())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("forecasters.gbt.artifact")
                .hasMessageContaining(f.toString()).hasMessageContaining("tree 0");
    }

    @Test
    void aProphetSeriesIsCheckedWhenTheForecasterIsBuiltNotAtItsFirstObservation(@TempDir Path dir) {
        TimeGrid grid = new TimeGrid(TEN_MIN);
        ProphetFeatures f = new ProphetFeatures(grid, 0, ProphetFeatures.evenChangepoints(2, 7), 2, 1, EventCalendar.EMPTY);
        double[] coef = new double[f.size()];
        ProphetArtifact.Series ok = new ProphetArtifact.Series(Instant.EPOCH, f.changepointDays(), 2, 1, f.names(), coef, Instant.EPOCH);
        // coefficients one short of the features: predicted from a partial sum (or out of bounds) before
        ProphetArtifact.Series shortCoef = new ProphetArtifact.Series(Instant.EPOCH, f.changepointDays(), 2, 1, f.names(),
                java.util.Arrays.copyOf(coef, coef.length - 1), Instant.EPOCH);
        Path p1 = dir.resolve("prophet-short.json");
        Artifacts.write(p1, new ProphetArtifact(ProphetArtifact.SCHEMA, "v", Instant.EPOCH, TEN_MIN, Map.of("a", ok, "b", shortCoef)));
        assertThatThrownBy(() -> ForecasterCatalog.create("prophet-style", TEN_MIN, Map.of("artifact", p1.toString())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("forecasters.prophet-style.artifact")
                .hasMessageContaining(p1.toString()).hasMessageContaining("series b").hasMessageContaining("coefficients");
        // trained with an events calendar the runtime does not have: refused now, not when series a is first observed
        ProphetArtifact.Series withEvent = new ProphetArtifact.Series(Instant.EPOCH, f.changepointDays(), 2, 1,
                java.util.stream.Stream.concat(f.names().stream(), java.util.stream.Stream.of("event_promo")).toList(),
                new double[f.size() + 1], Instant.EPOCH);
        Path p2 = dir.resolve("prophet-events.json");
        Artifacts.write(p2, new ProphetArtifact(ProphetArtifact.SCHEMA, "v", Instant.EPOCH, TEN_MIN, Map.of("a", withEvent)));
        assertThatThrownBy(() -> ForecasterCatalog.create("prophet-style", TEN_MIN, Map.of("artifact", p2.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(p2.toString()).hasMessageContaining("series a")
                .hasMessageContaining("events calendar");
        // the good series alone loads and forecasts
        Path p3 = dir.resolve("prophet-ok.json");
        Artifacts.write(p3, new ProphetArtifact(ProphetArtifact.SCHEMA, "v", Instant.EPOCH, TEN_MIN, Map.of("a", ok)));
        var fc = ForecasterCatalog.create("prophet-style", TEN_MIN, Map.of("artifact", p3.toString()));
        fc.observe("a", Synthetic.at(0), 5);
        assertThat(fc.forecast("a", Synthetic.at(1), Duration.ofMinutes(30)).mean()).hasSize(3);
    }

    @Test
    void aProphetArtifactMissingAFieldNamesTheFileAndTheField(@TempDir Path dir) throws IOException {
        var root = validProphetTree(dir);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("series").path("a")).remove("coefficients");
        Path bad = dir.resolve("prophet-no-coefficients.json");
        Files.writeString(bad, root.toString());
        assertThatThrownBy(() -> Artifacts.readProphet(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("coefficients");
    }
}
