package org.stratos.update.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;

/** The agent as its own program: configuration, its registered member id, own reconnecting connection. */
class StandaloneAgentTest {

    private static final String COMMANDS = EventTopics.topicOf(SoftwareUpdateEvent.class);
    private static final String MEMBER = "shop.php.php.domain-m1";

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
    void takesItsIdentityFromTheConfiguration() throws Exception {
        agent = StandaloneAgent.start(config(Map.of()));

        InstanceActivatedEvent activated = manager.awaitEvent(InstanceActivatedEvent.class, e -> true);
        assertThat(activated.memberId()).isEqualTo(MEMBER);
        assertThat(activated.clusterId()).isEqualTo("shop.php.php.domain");
        assertThat(activated.address()).isEqualTo("10.0.0.9");
        assertThat(activated.partitionId()).isEqualTo("P1");
    }

    @Test
    void usesTheMemberIdAnOlderAgentRememberedWhenNoneIsConfigured() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state").resolve(StandaloneAgent.MEMBER_ID_FILE), "shop.php.php.domain-old\n");
        Map<String, String> withoutId = new LinkedHashMap<>();
        withoutId.put("member.id", "");

        agent = StandaloneAgent.start(config(withoutId));

        assertThat(manager.awaitEvent(InstanceActivatedEvent.class, e -> true).memberId())
                .isEqualTo("shop.php.php.domain-old");
    }

    @Test
    void refusesToStartWithoutARegisteredMemberIdOrAPassword() {
        assertThatThrownBy(() -> StandaloneAgent.start(config(Map.of("member.id", ""))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("member.id");
        assertThatThrownBy(() -> StandaloneAgent.start(config(Map.of("broker.password", ""))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broker.password");
    }

    @Test
    void reconnectsAfterTheBrokerRestartsAndStillReceivesItsCommands() throws Exception {
        agent = StandaloneAgent.start(config(Map.of()));
        String member =
                manager.awaitEvent(InstanceActivatedEvent.class, e -> true).memberId();
        manager.close();

        broker.restart();

        // the restarted broker knows nothing: the agent's subscription is back only once it has reconnected
        await().atMost(Duration.ofSeconds(30))
                .until(() -> broker.subscriptions(COMMANDS).stream()
                        .anyMatch(s -> JmsAgentChannel.selectorFor(member)
                                .equals(s.getConsumerInfo().getSelector())));
        manager = new TestClient(broker.url());
        manager.send(new SoftwareUpdateEvent(
                "u-after-restart",
                "shop",
                "php",
                "shop.php.php.domain",
                member,
                "2.0",
                "1.0",
                false,
                null,
                null,
                null,
                null,
                false));
        InstanceUpdatedEvent updated =
                manager.awaitEvent(InstanceUpdatedEvent.class, e -> true, Duration.ofSeconds(20));
        assertThat(updated.updateId()).isEqualTo("u-after-restart");
        assertThat(agent.member().version()).isEqualTo("2.0");
        assertThat(Json.MAPPER
                        .readTree(dir.resolve("facts.d").resolve("stratos.json").toFile())
                        .path("stratos_version")
                        .asText())
                .isEqualTo("2.0");
    }

    /** The agent's configuration, with {@code overrides} as arguments (an empty value unsets a key). */
    private AgentConfig config(Map<String, String> overrides) throws Exception {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("application.id", "shop");
        file.put("service.name", "php");
        file.put("alias", "php");
        file.put("member.id", MEMBER);
        file.put("version", "1.0");
        file.put("address", "10.0.0.9");
        file.put("partition.id", "P1");
        file.put("health.interval", "PT0.05S");
        file.put(
                "puppet.facts-file",
                dir.resolve("facts.d").resolve("stratos.json").toString());
        Map<String, String> env = Map.of(
                "STRATOS_AGENT_STATE_DIR",
                dir.resolve("state").toString(),
                "STRATOS_AGENT_BROKER_PASSWORD",
                "agent-password");
        Map<String, String> args = new LinkedHashMap<>();
        args.put("broker.url", broker.url());
        args.put("update.command", Scripts.puppet(dir, dir.resolve("runs"), 0).toString());
        args.putAll(overrides);
        return AgentConfig.of(file, env, args, "test.properties");
    }
}
