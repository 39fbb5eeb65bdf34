package dev.orderflow.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout of the architecture document, enforced: dependencies point from {@code api} to
 * {@code orchestration} only, the engine stays a plain library, the embedded servers stay off
 * the production path, and the simulators are reached over HTTP only.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.orderflow");
        // a rule over no classes proves nothing: make sure both modules were found on the classpath
        assertThat(production.containPackage("dev.orderflow.orchestration.principal")).isTrue();
        assertThat(production.containPackage("dev.orderflow.api.embedded")).isTrue();
        assertThat(production.containPackage("dev.orderflow.api.simulator")).isTrue();
    }

    @Test
    void orchestrationNeverDependsOnTheApi() {
        noClasses().that().resideInAPackage("dev.orderflow.orchestration..")
                .should().dependOnClassesThat().resideInAPackage("dev.orderflow.api..")
                .because("dependencies point one way: api -> orchestration")
                .check(production);
    }

    @Test
    void orchestrationIsAPlainLibraryWithoutSpringBootOrAWebServer() {
        noClasses().that().resideInAPackage("dev.orderflow.orchestration..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.boot..",
                        "org.springframework.web.bind..",
                        "org.springframework.http.server..")
                .because("the engine is driven by api and must run without a web server or Spring Boot")
                .check(production);
    }

    @Test
    void onlyConfigurationStartsTheEmbeddedServers() {
        classes().that().resideInAPackage("dev.orderflow.api.embedded..")
                .should().onlyHaveDependentClassesThat().resideInAnyPackage(
                        "dev.orderflow.api.embedded..",
                        "dev.orderflow.api.config..")
                .because("the embedded PostgreSQL and Redis start only when no URL is configured,"
                        + " and that decision lives in InfrastructureEnvironment")
                .check(production);
    }

    @Test
    void theSimulatorsAreReachedOverHttpOnly() {
        classes().that().resideInAPackage("dev.orderflow.api.simulator..")
                .should().onlyHaveDependentClassesThat().resideInAPackage("dev.orderflow.api.simulator..")
                .because("the simulators stand in for external systems: Orderflow calls them over HTTP, as it"
                        + " calls the real ones, and runs the same with them switched off")
                .check(production);
    }
}
