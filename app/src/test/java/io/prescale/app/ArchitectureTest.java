package io.prescale.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the module dependency rule of the architecture true (over every module on the launcher's classpath). No rule
 * allows an empty selection: a module missing from the classpath fails its rule instead of passing it unchecked.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.prescale");

    @Test
    void sparkOnlyInForecastingSpark() {
        noClasses().that().resideOutsideOfPackage("io.prescale.forecasting.spark..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
                .check(CLASSES);
    }

    @Test
    void httpAndOnnxOnlyInLiveRunner() {
        noClasses().that().resideOutsideOfPackage("io.prescale.live..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .check(CLASSES);
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.prescale.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prescale.datasets..", "io.prescale.policies..",
                        "io.prescale.simulator..", "io.prescale.forecasting..", "io.prescale.live..", "io.prescale.app..")
                .check(CLASSES);
    }

    @Test
    void policiesSeeOnlyCore() {
        noClasses().that().resideInAPackage("io.prescale.policies..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prescale.datasets..", "io.prescale.simulator..",
                        "io.prescale.forecasting..", "io.prescale.live..", "io.prescale.app..")
                .check(CLASSES);
    }

    @Test
    void datasetsSeeOnlyCore() {
        noClasses().that().resideInAPackage("io.prescale.datasets..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prescale.policies..", "io.prescale.simulator..",
                        "io.prescale.forecasting..", "io.prescale.live..", "io.prescale.app..")
                .check(CLASSES);
    }

    @Test
    void runtimeForecastingHasNoSparkAndNoOtherModules() {
        noClasses().that().resideInAPackage("io.prescale.forecasting..").and().resideOutsideOfPackage("io.prescale.forecasting.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prescale.datasets..", "io.prescale.policies..",
                        "io.prescale.simulator..", "io.prescale.live..", "io.prescale.app..", "io.prescale.forecasting.spark..")
                .check(CLASSES);
    }

    @Test
    void liveRunnerDoesNotReachIntoTheSimulator() {
        noClasses().that().resideInAPackage("io.prescale.live..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prescale.simulator..", "io.prescale.forecasting.spark..")
                .check(CLASSES);
    }
}
