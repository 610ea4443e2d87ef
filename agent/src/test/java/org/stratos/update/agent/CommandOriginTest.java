package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/**
 * The agent takes commands only from the manager's broker user, as the broker stamped it on the message: a command
 * that reaches it from anyone else (an external broker that lets others publish commands) runs nothing.
 */
class CommandOriginTest {

    private static final String MEMBER = "shop.php.php.domain-origin";

    private TestBroker broker;
    private TestClient manager;
    private TestClient rogue;
    private Connection connection;
    private MemberAgent agent;

    @BeforeEach
    void startAgent() throws Exception {
        broker = TestBroker.start();
        manager = new TestClient(broker.url(), "the-manager");
        rogue = new TestClient(broker.url(), "someone-else");
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
        factory.setWatchTopicAdvisories(false);
        connection = factory.createConnection();
        connection.start();
        agent = new MemberAgent(
                new AgentIdentity("shop", "php", "shop.php.php.domain", MEMBER, null, null, null, null),
                AgentSettings.defaults("1.0"),
                new SimulatedUpdateCommand(Duration.ofMillis(10), 0, new SplittableRandom()),
                HealthCheck.NONE,
                JmsAgentChannel.open(connection, MEMBER, "the-manager"));
        agent.start();
        manager.awaitEvent(InstanceActivatedEvent.class, e -> true);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        connection.close();
        rogue.close();
        manager.close();
        broker.close();
    }

    @Test
    void aCommandFromAnyoneButTheManagersUserRunsNothing() throws Exception {
        rogue.send(command("u-evil", "6.6.6-evil"));
        manager.send(command("u-real", "2.0"));

        manager.awaitEvent(InstanceUpdatedEvent.class, e -> e.updateId().equals("u-real"));
        assertThat(manager.events(InstanceUpdatingEvent.class))
                .extracting(InstanceUpdatingEvent::updateId)
                .containsExactly("u-real");
        await().atMost(Duration.ofSeconds(5)).until(() -> "2.0".equals(agent.version()));
    }

    private static SoftwareUpdateEvent command(String updateId, String version) {
        return new SoftwareUpdateEvent(
                updateId,
                "shop",
                "php",
                "shop.php.php.domain",
                MEMBER,
                version,
                "1.0",
                false,
                null,
                null,
                null,
                null,
                false);
    }
}
