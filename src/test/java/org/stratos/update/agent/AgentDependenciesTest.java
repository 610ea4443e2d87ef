package org.stratos.update.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent jar holds only the agent, the event records and a few libraries (see the shade execution in pom.xml):
 * anything else the agent imported would compile, and fail on a VM at run time.
 */
class AgentDependenciesTest {

    private static final List<String> ALLOWED = List.of("java.", "jakarta.jms.", "org.apache.activemq.",
            "com.fasterxml.jackson.", "org.slf4j.",
            "org.stratos.update.agent.", "org.stratos.update.messaging.event.");

    @Test
    void agentSourcesImportOnlyWhatTheAgentJarContains() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/org/stratos/update/agent"))) {
            List<String> foreign = sources.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(AgentDependenciesTest::imports)
                    .filter(imported -> ALLOWED.stream().noneMatch(imported::startsWith))
                    .toList();

            assertThat(foreign).isEmpty();
        }
    }

    private static Stream<String> imports(Path source) {
        try {
            return Files.readAllLines(source).stream()
                    .filter(line -> line.startsWith("import "))
                    .map(line -> line.replace("import static ", "").replace("import ", "").replace(";", "").trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
