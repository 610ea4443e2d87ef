package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stratos.update.StratosUpdateManager;
import org.stratos.update.agent.AgentIdentity;
import org.stratos.update.agent.AgentSettings;
import org.stratos.update.agent.HealthCheck;
import org.stratos.update.agent.JmsAgentChannel;
import org.stratos.update.agent.MemberAgent;
import org.stratos.update.agent.SimulatedUpdateCommand;
import org.stratos.update.common.ConflictException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.support.PostgresDatabase;
import org.stratos.update.support.StaticBrokerUsers;
import org.stratos.update.support.TestBrokers;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.update.UpdateRequest;
import org.stratos.update.update.UpdateService;

/**
 * Two manager nodes on one PostgreSQL database and one broker, as in production: a cluster held by an update on one
 * node cannot be taken by the other, and when the node running an update stops, the other one finishes it (the
 * stopped node's job locks expire; the agents' replies wait in the shared queues).
 */
class TwoManagerNodesIT {

    static final String APP = "nodes";
    static final String CLUSTER = "nodes.php.php.domain";
    static final String BROKER_PASSWORD = "nodes-broker-password";
    static PostgresDatabase database;
    static BrokerService broker;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;
    static Connection agentConnection;
    static final List<MemberAgent> agents = new ArrayList<>();

    @BeforeAll
    static void twoNodesOneDatabaseOneBroker() throws Exception {
        database = PostgresDatabase.create("stratos_nodes");
        // an external broker as docs/security.md sets one up: its own user list, the Stratos rules
        StaticBrokerUsers users =
                new StaticBrokerUsers().add("stratos-manager", BROKER_PASSWORD, BrokerGroups.MANAGERS);
        broker = TestBrokers.start(TestBrokers.properties("nodes-broker", "tcp://127.0.0.1:0", null), users);
        String url = TestBrokers.url(broker);
        nodeA = node("nodeA", url);
        nodeB = node("nodeB", url);
        nodeA.getBean(TopologyService.class)
                .register(new NewApplication(
                        APP,
                        null,
                        List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)),
                        null));
        IssuedCredentials fleet = nodeA.getBean(AgentCredentials.class)
                .register(APP, "php", 4, true, "test")
                .get(0);
        users.add(fleet.user(), fleet.password(), BrokerGroups.FLEETS);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setWatchTopicAdvisories(false);
        factory.setUserName(fleet.user());
        factory.setPassword(fleet.password());
        agentConnection = factory.createConnection();
        agentConnection.start();
        for (String memberId : fleet.memberIds()) {
            MemberAgent agent = new MemberAgent(
                    new AgentIdentity(APP, "php", CLUSTER, memberId, null, null, null, null),
                    AgentSettings.defaults("1.0"),
                    new SimulatedUpdateCommand(Duration.ofMillis(300), 0, new SplittableRandom()),
                    HealthCheck.NONE,
                    JmsAgentChannel.open(agentConnection, memberId));
            agent.start();
            agents.add(agent);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from stratos_member " + "where cluster_id = '" + CLUSTER
                                + "' and state = 'ACTIVE'")
                        == 4);
    }

    @AfterAll
    static void stop() throws Exception {
        agents.forEach(MemberAgent::close);
        if (agentConnection != null) {
            agentConnection.close();
        }
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {nodeA, nodeB}) {
            if (node != null && node.isActive()) {
                node.close();
            }
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void aSecondNodeHonoursTheClusterLockAndFinishesTheUpdateWhenTheFirstNodeStops() {
        var update = nodeA.getBean(UpdateService.class)
                .start(
                        APP,
                        new UpdateRequest(
                                List.of("php"),
                                null,
                                "2.0",
                                null,
                                true,
                                "1",
                                null,
                                null,
                                "PT30S",
                                null,
                                null,
                                "PT1M",
                                "afterFirstBatch",
                                null,
                                null),
                        "tester");
        await().atMost(Duration.ofSeconds(60)).until(() -> "WAITING_FOR_APPROVAL".equals(state(update.id())));

        assertThatThrownBy(() -> nodeB.getBean(UpdateService.class)
                        .start(
                                APP,
                                new UpdateRequest(
                                        List.of("php"),
                                        null,
                                        "3.0",
                                        null,
                                        true,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null),
                                "other"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining(update.id());

        nodeB.getBean(UpdateService.class).approve(update.id(), "operator-on-node-b");
        nodeA.close();

        await().atMost(Duration.ofSeconds(90)).until(() -> "COMPLETED".equals(state(update.id())));
        assertThat(count("select count(*) from stratos_member where cluster_id = '" + CLUSTER
                        + "' and state = 'ACTIVE' and version = '2.0'"))
                .isEqualTo(4);
        assertThat(jdbc().sql("select locked_by from stratos_cluster where id = ?")
                        .param(CLUSTER)
                        .query(String.class)
                        .optional())
                .isEmpty();
    }

    private static ConfigurableApplicationContext node(String name, String brokerUrl) {
        // arguments, not builder properties: those are defaults and lose to the configuration files
        return new SpringApplicationBuilder(StratosUpdateManager.class)
                .web(WebApplicationType.NONE)
                .profiles("postgres")
                .run(
                        "--spring.datasource.url=" + database.url(),
                        "--spring.datasource.username=" + PostgresDatabase.USER,
                        "--camunda.bpm.admin-user.password=two-nodes-test-password",
                        "--camunda.bpm.process-engine-name=" + name,
                        "--camunda.bpm.job-execution.lock-time-in-millis=5000",
                        "--camunda.bpm.job-execution.max-wait=500",
                        "--stratos.broker.embedded=false",
                        "--stratos.broker.url=" + brokerUrl,
                        "--stratos.broker.password=" + BROKER_PASSWORD,
                        "--stratos.demo.enabled=false",
                        "--spring.jmx.enabled=false",
                        "--spring.autoconfigure.exclude=org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration",
                        "--logging.level.root=WARN");
    }

    private static String state(String updateId) {
        return jdbc().sql("select state from stratos_update where id = ?")
                .param(updateId)
                .query(String.class)
                .single();
    }

    private static int count(String sql) {
        return jdbc().sql(sql).query(Integer.class).single();
    }

    private static JdbcClient jdbc() {
        return nodeB.getBean(JdbcClient.class);
    }
}
