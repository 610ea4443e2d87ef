package org.stratos.update.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent as its own program: configuration, own reconnecting connection, member id kept across restarts. */
class StandaloneAgentTest {

    private static final String COMMANDS = EventTopics.topicOf(SoftwareUpdateEvent.class);

    @TempDir
    Path dir;

    private TestBroker broker;
    private TestClient manager;
    private StandaloneAgent agent;

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBroker.start();
        manager = new TestClient(broker.url());
    }

    @AfterEach
    void stopAll() throws Exception {
        if (agent != null) {
            agent.close();
        }
        manager.close();
        broker.close();
    }

    @Test
    void derivesItsIdentityFromTheConfigurationAndKeepsItsMemberIdAcrossRestarts() throws Exception {
        agent = StandaloneAgent.start(config());
        InstanceActivatedEvent activated = manager.awaitEvent(InstanceActivatedEvent.class, e -> true);
        String member = activated.memberId();
        assertThat(activated.clusterId()).isEqualTo("shop.php.php.domain");
        assertThat(member).matches("shop\\.php\\.php\\.domain[0-9a-f-]{36}");
        assertThat(activated.address()).isEqualTo("10.0.0.9");
        assertThat(activated.partitionId()).isEqualTo("P1");
        assertThat(Files.readString(dir.resolve("state").resolve(StandaloneAgent.MEMBER_ID_FILE)).trim())
                .isEqualTo(member);
        agent.close();

        agent = StandaloneAgent.start(config());

        await().atMost(Duration.ofSeconds(10)).until(() -> manager.events(InstanceStartedEvent.class).size() == 2);
        assertThat(manager.events(InstanceStartedEvent.class)).extracting(InstanceStartedEvent::memberId)
                .containsExactly(member, member);
    }

    @Test
    void reconnectsAfterTheBrokerRestartsAndStillReceivesItsCommands() throws Exception {
        agent = StandaloneAgent.start(config());
        String member = manager.awaitEvent(InstanceActivatedEvent.class, e -> true).memberId();
        manager.close();

        broker.restart();

        // the restarted broker knows nothing: the agent's subscription is back only once it has reconnected
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.subscriptions(COMMANDS).stream()
                .anyMatch(s -> JmsAgentChannel.selectorFor(member).equals(s.getConsumerInfo().getSelector())));
        manager = new TestClient(broker.url());
        manager.send(new SoftwareUpdateEvent("u-after-restart", "shop", "php", "shop.php.php.domain", member, "2.0",
                "1.0", false, null, null, null, null, false));
        InstanceUpdatedEvent updated = manager.awaitEvent(InstanceUpdatedEvent.class, e -> true, Duration.ofSeconds(20));
        assertThat(updated.updateId()).isEqualTo("u-after-restart");
        assertThat(agent.member().version()).isEqualTo("2.0");
        assertThat(Json.MAPPER.readTree(dir.resolve("facts.d").resolve("stratos.json").toFile()).path("stratos_version")
                .asText()).isEqualTo("2.0");
    }

    private AgentConfig config() throws Exception {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("application.id", "shop");
        file.put("service.name", "php");
        file.put("alias", "php");
        file.put("version", "1.0");
        file.put("address", "10.0.0.9");
        file.put("partition.id", "P1");
        file.put("health.interval", "PT0.05S");
        file.put("puppet.facts-file", dir.resolve("facts.d").resolve("stratos.json").toString());
        Map<String, String> env = Map.of("STRATOS_AGENT_STATE_DIR", dir.resolve("state").toString());
        Map<String, String> args = Map.of(
                "broker.url", broker.url(),
                "update.command", Scripts.puppet(dir, dir.resolve("runs"), 0).toString());
        return AgentConfig.of(file, env, args, "test.properties");
    }
}
