package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.support.AgentJar;

/**
 * The runnable jar operators install ({@code agent/target/stratos-update-agent-<version>-standalone.jar}), as a VM runs
 * it: {@code java -jar} with nothing else on the class path. Needs no Puppet (its update command is a script), so it
 * checks the artifact itself wherever the build runs.
 */
class StandaloneJarIT {

    private static final String MEMBER = "jar.php.php.domain-1";

    @TempDir
    Path dir;

    private final Path jar = AgentJar.find();

    /** Starts with the jar alone, logs with the agent's own configuration, runs an update and reports it. */
    @Test
    void theJarAloneRunsTheAgent() throws Exception {
        Path runs = dir.resolve("runs");
        Path command = Scripts.puppet(dir, runs, 2);
        Path log = dir.resolve("agent.log");
        try (TestBroker broker = TestBroker.start();
                TestClient manager = new TestClient(broker.url())) {
            Process agent = new ProcessBuilder(
                            java(),
                            "-Xmx32m",
                            "-XX:+UseSerialGC",
                            "-jar",
                            jar.toString(),
                            "--broker.url=" + broker.url(),
                            "--broker.password=jar-test",
                            "--application.id=jar",
                            "--service.name=php",
                            "--alias=php",
                            "--member.id=" + MEMBER,
                            "--version=1.0",
                            "--state.dir=" + dir.resolve("state"),
                            "--puppet.facts-file=" + dir.resolve("facts.json"),
                            "--puppet.state-dir=" + dir.resolve("puppet-state"),
                            "--puppet.summary-file=" + dir.resolve("summary.yaml"),
                            "--update.command=" + command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                manager.awaitEvent(
                        InstanceActivatedEvent.class, e -> e.memberId().equals(MEMBER), Duration.ofSeconds(90));

                manager.send(new SoftwareUpdateEvent(
                        "u-jar",
                        "jar",
                        "php",
                        "jar.php.php.domain",
                        MEMBER,
                        "2.0",
                        "1.0",
                        false,
                        null,
                        null,
                        null,
                        null,
                        false));

                InstanceUpdatedEvent updated = manager.awaitEvent(
                        InstanceUpdatedEvent.class, e -> e.updateId().equals("u-jar"), Duration.ofSeconds(60));
                assertThat(updated.memberId()).isEqualTo(MEMBER);
                assertThat(updated.exitCode()).isEqualTo(2);
                assertThat(Scripts.lines(runs)).containsExactly("run u-jar");
                assertThat(Files.readString(dir.resolve("facts.json")))
                        .containsPattern("\"stratos_version\"\\s*:\\s*\"2.0\"");
            } finally {
                agent.destroy();
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            // agent-logback.xml from the jar: "HH:mm:ss.SSS LEVEL Logger - message", ActiveMQ at WARN
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output)
                    .containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  AgentMain - InstanceActivatedEvent published")
                    .contains("INFO  AgentMain - Stopping")
                    .doesNotContain("DEBUG");
        }
    }

    /** A configuration error is one line naming the key and exit code 2, as docs/agent.md promises systemd. */
    @Test
    void aConfigurationErrorExitsWithCode2() throws Exception {
        Process agent = new ProcessBuilder(java(), "-Xmx32m", "-jar", jar.toString(), "--broker.url=tcp://127.0.0.1:1")
                .redirectErrorStream(true)
                .start();
        String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(60)).until(() -> !agent.isAlive());

        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(output).startsWith("stratos-agent: ");
    }

    /** What is in the jar: the agent, the contracts and its libraries; nothing of the manager, Spring or Camunda. */
    @Test
    void theJarHoldsTheAgentAndItsLibrariesOnly() throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(AgentMain.class.getName());
            Collections.list(file.entries()).stream().map(ZipEntry::getName).forEach(names::add);
        }
        assertThat(names)
                .contains(
                        "org/stratos/update/agent/AgentMain.class",
                        "org/stratos/update/messaging/event/instance/notifier/SoftwareUpdateEvent.class",
                        "agent-logback.xml",
                        "org/apache/activemq/ActiveMQConnectionFactory.class",
                        "jakarta/jms/Connection.class",
                        "com/fasterxml/jackson/databind/ObjectMapper.class",
                        "ch/qos/logback/classic/Logger.class");
        assertThat(names)
                .filteredOn(n -> n.startsWith("org/stratos/")
                        && n.endsWith(".class")
                        && !n.startsWith("org/stratos/update/agent/")
                        && !n.startsWith("org/stratos/update/messaging/event/"))
                .isEmpty();
        assertThat(names)
                .filteredOn(n -> n.startsWith("org/springframework/") || n.startsWith("org/camunda/"))
                .isEmpty();
        // the broker is a test dependency only (activemq-client has a few classes in that package of its own)
        assertThat(names).doesNotContain("org/apache/activemq/broker/BrokerService.class");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
