package org.stratos.update.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent module's boundary, on the compiled classes. The compiler already keeps Spring, Camunda and the manager out
 * (none is on this module's classpath); these rules keep the agent to the libraries its pom lists for it, so that a new
 * one is a decision and not an accident of a transitive dependency.
 */
class AgentArchitectureTest {

    private static JavaClasses module;

    @BeforeAll
    static void importClasses() {
        module = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.stratos.update");
    }

    /**
     * The agent runs on every VM from its own jar (agent, event contracts, JMS client, Jackson, SLF4J): nothing of
     * Spring, Camunda or the manager.
     */
    static final ArchRule AGENT_USES_ONLY_ITS_LIBRARIES = classes()
            .that()
            .resideInAPackage("org.stratos.update.agent..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                    "org.stratos.update.agent..",
                    "org.stratos.update.messaging.event..",
                    "java..",
                    "jakarta.jms..",
                    "org.apache.activemq..",
                    "com.fasterxml.jackson..",
                    "org.slf4j..");

    @Test
    void agentUsesOnlyTheEventContractsJmsJsonAndTheJdk() {
        AGENT_USES_ONLY_ITS_LIBRARIES.check(module);
    }

    /** The message contracts are shared with the manager and with peers: plain records with Jackson annotations. */
    @Test
    void eventContractsUseNothingButTheJdkAndJacksonAnnotations() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage("org.stratos.update.messaging.event..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "org.stratos.update.messaging.event..", "java..", "com.fasterxml.jackson.annotation..");
        rule.check(module);
    }

    /** This module holds the agent and the contracts, and nothing else of the project. */
    @Test
    void moduleHoldsTheAgentAndTheContractsOnly() {
        assertThat(module.containPackage("org.stratos.update.agent")).isTrue();
        assertThat(module.containPackage("org.stratos.update.messaging.event")).isTrue();
        assertThat(module.stream()
                        .map(c -> c.getPackageName())
                        .filter(p -> !p.startsWith("org.stratos.update.agent")
                                && !p.startsWith("org.stratos.update.messaging.event")))
                .isEmpty();
    }

    /** The agent rule is no formality: a class that reaches for a library the agent does not ship breaks it. */
    @Test
    void agentRuleCatchesALibraryTheAgentDoesNotShip() {
        JavaClasses fixture = new ClassFileImporter().importClasses(UsesAnotherLibrary.class);

        assertThatThrownBy(() -> AGENT_USES_ONLY_ITS_LIBRARIES.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.awaitility.Awaitility");
    }

    static class UsesAnotherLibrary {
        void waitABit() {
            org.awaitility.Awaitility.await();
        }
    }
}
