package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/** The health check after an update (HTTP or command), the command's own health settings, and activation at boot. */
class MemberAgentHealthTest {

    private static final String CLUSTER = "shop.php.php.domain";
    private static final AtomicInteger MEMBERS = new AtomicInteger();

    private static TestBroker broker;
    private static TestClient manager;
    private static Connection fleetConnection;

    @TempDir
    Path dir;

    private final AtomicInteger status = new AtomicInteger(200);
    private final List<MemberAgent> agents = new ArrayList<>();
    private HttpServer server;
    private URI healthUrl;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.start();
        manager = new TestClient(broker.url());
        fleetConnection = new ActiveMQConnectionFactory(broker.url()).createConnection();
        fleetConnection.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        fleetConnection.close();
        manager.close();
        broker.close();
    }

    @BeforeEach
    void startHealthEndpoint() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        healthUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    @AfterEach
    void stop() {
        agents.forEach(MemberAgent::close);
        server.stop(0);
    }

    @Test
    void reportsUpdatedOnceTheHttpHealthCheckPasses() throws Exception {
        String member = startAgent(HealthCheck.http(healthUrl));
        manager.awaitEvent(InstanceActivatedEvent.class, e -> e.memberId().equals(member));

        manager.send(command(member, "u-healthy", null, "PT0.3S"));

        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(updated.healthCheck()).isEqualTo(healthUrl.toString());
        assertThat(updated.durationMillis()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void reportsFailedWhenTheHttpHealthCheckDoesNotPassWithinTheCommandsTimeout() throws Exception {
        String member = startAgent(HealthCheck.http(healthUrl));
        manager.awaitEvent(InstanceActivatedEvent.class, e -> e.memberId().equals(member));
        status.set(503);

        manager.send(command(member, "u-sick", "PT0.3S", null));

        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.reason()).isEqualTo("health check " + healthUrl + " did not pass within PT0.3S");
        assertThat(failed.exitCode()).isZero();
        assertThat(failed.outputTail()).contains("applying version 2.0");
    }

    @Test
    void activatesOnlyOnceHealthyAtBoot() throws Exception {
        status.set(503);
        String member = startAgent(HealthCheck.http(healthUrl));
        manager.awaitEvent(InstanceStartedEvent.class, e -> e.memberId().equals(member));
        assertThat(manager.events(
                        InstanceActivatedEvent.class, e -> e.memberId().equals(member)))
                .isEmpty();

        status.set(200);

        manager.awaitEvent(InstanceActivatedEvent.class, e -> e.memberId().equals(member));
    }

    @Test
    void aCommandHealthCheckPassesOnExitZeroAndFailsOtherwise() throws Exception {
        Path check = Scripts.write(dir, "check.sh", "test -f '" + dir.resolve("healthy") + "'");
        Scripts.write(dir, "healthy");
        String member = startAgent(HealthCheck.command(List.of(check.toString())));
        manager.awaitEvent(InstanceActivatedEvent.class, e -> e.memberId().equals(member));

        manager.send(command(member, "u-cmd-ok", null, null));
        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.memberId().equals(member));
        assertThat(updated.healthCheck()).isEqualTo(check.toString());

        java.nio.file.Files.delete(dir.resolve("healthy"));
        manager.send(command(member, "u-cmd-sick", "PT0.2S", null));
        InstanceUpdateFailedEvent failed = manager.awaitEvent(
                InstanceUpdateFailedEvent.class, e -> e.memberId().equals(member));
        assertThat(failed.reason()).isEqualTo("health check " + check + " did not pass within PT0.2S");
    }

    private String startAgent(HealthCheck health) throws Exception {
        String member = CLUSTER + "-health-" + MEMBERS.incrementAndGet();
        AgentSettings settings = new AgentSettings(
                "1.0", Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ZERO, Duration.ofMillis(50), null);
        MemberAgent agent = new MemberAgent(
                new AgentIdentity("shop", "php", CLUSTER, member, null, null, null, null),
                settings,
                new ProcessUpdateCommand(
                        List.of(Scripts.puppet(dir, dir.resolve("runs"), 0).toString()), null),
                health,
                JmsAgentChannel.open(fleetConnection, member));
        agents.add(agent);
        agent.start();
        return member;
    }

    private static SoftwareUpdateEvent command(
            String member, String updateId, String healthTimeout, String minHealthyTime) {
        return new SoftwareUpdateEvent(
                updateId,
                "shop",
                "php",
                CLUSTER,
                member,
                "2.0",
                "1.0",
                false,
                healthTimeout,
                minHealthyTime,
                null,
                null,
                false);
    }
}
