package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.stratos.update.StratosUpdateManager;
import org.stratos.update.agent.AgentIdentity;
import org.stratos.update.agent.AgentSettings;
import org.stratos.update.agent.BrokerUrls;
import org.stratos.update.agent.HealthCheck;
import org.stratos.update.agent.JmsAgentChannel;
import org.stratos.update.agent.MemberAgent;
import org.stratos.update.agent.SimulatedUpdateCommand;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.IssuedCredentials;
import org.stratos.update.messaging.BrokerLink;
import org.stratos.update.messaging.broker.BrokerGroups;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.topology.CompleteTopologyEvent;
import org.stratos.update.support.StandaloneBroker;
import org.stratos.update.topology.ClusterState;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.NewApplication;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.update.UpdateRequest;
import org.stratos.update.update.UpdateService;

/**
 * The production layout's broker faults, against Debian's ActiveMQ Classic in a process of its own
 * ({@link StandaloneBroker}, authentication and the Stratos plugin as docs/security.md installs them): a manager
 * configured with the broker's plain {@code tcp://} URL (it wraps it in the failover transport itself) and agents on
 * another connection, as the real agent connects ({@link BrokerUrls#reconnecting}). The broker is killed with
 * {@code kill -9} during a batch and started again; stays away past the batch's deadline; and, as a shared-store
 * pair, fails over to its second broker.
 */
class StandaloneBrokerFaultsIT {

    private static final AtomicInteger NODES = new AtomicInteger();
    private static final String APP = "mq";
    private static final String CLUSTER = "mq.php.php.domain";
    private static final int MEMBERS = 6;

    private ConfigurableApplicationContext manager;
    private Connection agentConnection;
    private final List<MemberAgent> agents = new ArrayList<>();
    private AutoCloseable brokers;

    @AfterEach
    void stop() throws Exception {
        agents.forEach(MemberAgent::close);
        if (manager != null) {
            manager.close();
        }
        if (brokers != null) {
            brokers.close(); // before the agents' connection: its close would wait for a broker that is gone
        }
        if (agentConnection != null) {
            agentConnection.close();
        }
    }

    @Test
    void theBrokerKilledDuringABatchAndStartedAgainLosesNoReportAndCountsNoneTwice(@TempDir Path dir) throws Exception {
        StandaloneBroker broker = StandaloneBroker.start(dir);
        brokers = broker;
        startManagerAndAgents(broker.url(), broker.managerPassword(), broker::addUser, Duration.ofSeconds(2));

        String update = startUpdate(true, "2", "PT30S", true);
        awaitBatchRunning(update);
        long killed = System.nanoTime();
        broker.kill(); // the agents are in the middle of their update: their reports go out while it is down
        BrokerLink link = manager.getBean(BrokerLink.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !link.reachable());
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        broker.restart();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(link::reachable);

        await().atMost(Duration.ofSeconds(90)).until(() -> terminal(update));
        System.out.printf(
                "broker down %d ms; update completed %d ms after the restart%n",
                (restarted - killed) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
        assertThat(state(update)).isEqualTo("COMPLETED");
        assertEveryMemberUpdatedOnceByItsAgent(update);
    }

    @Test
    void theManagersOwnSimulatedMembersReconnectThroughFailoverToo(@TempDir Path dir) throws Exception {
        // the simulated fleet logs in as stratos-simulated: on an external broker, a user of the broker's own list
        StandaloneBroker broker = StandaloneBroker.builder(dir)
                .user("stratos-simulated", "simulated-test-password", BrokerGroups.FLEETS)
                .start();
        brokers = broker;
        startManager(
                broker.url(),
                broker.managerPassword(),
                "--stratos.simulated.broker-password=simulated-test-password",
                "--stratos.simulated.update-duration=PT2S",
                "--stratos.simulated.start-latency=PT0.2S");
        manager.getBean(TopologyService.class)
                .register(new NewApplication(
                        APP,
                        null,
                        List.of(new NewApplication.NewCluster("php", "php", "simulated", "1.0", null, MEMBERS)),
                        null));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        jdbc().sql("select count(*) from stratos_member " + "where cluster_id = ? and state = 'ACTIVE'")
                                        .param(CLUSTER)
                                        .query(Integer.class)
                                        .single()
                                == MEMBERS);

        String update = startUpdate(true, "2", "PT30S", true);
        awaitBatchRunning(update);
        broker.kill();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        broker.restart();

        await().atMost(Duration.ofSeconds(90)).until(() -> terminal(update));
        assertThat(state(update)).isEqualTo("COMPLETED");
        assertEveryMemberUpdatedOnceByItsAgent(update);
    }

    @Test
    void aSubscriberLearnsTheTopologyChangedDuringAnOutageFromTheCompleteTopologySentWhenTheBrokerIsBack(
            @TempDir Path dir) throws Exception {
        StandaloneBroker broker = StandaloneBroker.builder(dir)
                .user("stratos-simulated", "simulated-test-password", BrokerGroups.FLEETS)
                .user("load-balancer", "lb-test-password", BrokerGroups.OBSERVERS)
                .start();
        brokers = broker;
        startManager(
                broker.url(),
                broker.managerPassword(),
                "--stratos.simulated.broker-password=simulated-test-password",
                "--stratos.simulated.start-latency=PT0.2S");
        TopologyService topology = manager.getBean(TopologyService.class);
        topology.register(new NewApplication(
                APP, null, List.of(new NewApplication.NewCluster("php", "php", "simulated", "1.0", null, 2)), null));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc().sql("select count(*) from stratos_member where cluster_id = ? and state = 'ACTIVE'")
                                .param(CLUSTER)
                                .query(Integer.class)
                                .single()
                        == 2);
        String suspended = topology.members(CLUSTER).get(0).id();

        // while the broker is down, a member is taken out and the cluster goes inactive: those events are dropped
        BrokerLink link = manager.getBean(BrokerLink.class);
        broker.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> !link.reachable());
        topology.changeMemberState(suspended, MemberState.SUSPENDED, null, "taken out during the outage", null);
        topology.changeClusterState(CLUSTER, ClusterState.INACTIVE, null);

        // a load balancer subscribes again as soon as the broker is back
        broker.restart();
        await().atMost(Duration.ofSeconds(30)).until(broker::isAccepting);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
        factory.setWatchTopicAdvisories(false);
        factory.setUserName("load-balancer");
        factory.setPassword("lb-test-password");
        List<JsonNode> snapshots = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Connection lb = factory.createConnection()) {
            Session session = lb.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic(EventTopics.topicOf(CompleteTopologyEvent.class)))
                    .setMessageListener(m -> {
                        try {
                            snapshots.add(json.readTree(((TextMessage) m).getText()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            lb.start();

            // the snapshot after the reconnect (or its repetition, if the subscriber came after it) has the changes
            // the repetition comes 10 s after the first
            await().atMost(Duration.ofSeconds(40)).until(() -> !snapshots.isEmpty());
        }
        JsonNode app = snapshots.get(0).path("applications").get(0);
        assertThat(app.path("applicationId").asText()).isEqualTo(APP);
        JsonNode cluster = app.path("clusters").get(0);
        assertThat(cluster.path("clusterId").asText()).isEqualTo(CLUSTER);
        assertThat(cluster.path("state").asText()).isEqualTo("Inactive");
        assertThat(cluster.path("members")).hasSize(2);
        for (JsonNode m : cluster.path("members")) {
            assertThat(m.path("state").asText())
                    .as(m.toString())
                    .isEqualTo(m.path("memberId").asText().equals(suspended) ? "Suspended" : "Active");
            assertThat(m.path("version").asText()).isEqualTo("1.0");
        }
    }

    @Test
    void theBrokerGoneLongerThanTheDeadlineFailsTheMembersSayingSo(@TempDir Path dir) throws Exception {
        StandaloneBroker broker = StandaloneBroker.start(dir);
        brokers = broker;
        startManagerAndAgents(broker.url(), broker.managerPassword(), broker::addUser, Duration.ofSeconds(2));

        // all at once, no rollback; the batch waits updateTimeout + healthTimeout + a minute for its reports
        String update = startUpdate(false, null, "PT2S", false);
        awaitBatchRunning(update);
        broker.kill();

        await().atMost(Duration.ofSeconds(120)).until(() -> terminal(update));
        assertThat(state(update)).isEqualTo("FAILED");
        List<Map<String, Object>> members = jdbc().sql(
                        "select member_id, state, failure, message " + "from stratos_update_member where update_id = ?")
                .param(update)
                .query()
                .listOfRows();
        assertThat(members).hasSize(MEMBERS).allSatisfy(m -> {
            assertThat(m.get("STATE")).isEqualTo("FAILED");
            assertThat((String) m.get("MESSAGE"))
                    .as("the member's reason")
                    .contains("the broker has been unreachable from the manager since")
                    .contains("no report from the agent within");
        });
        // the member's own record says the same
        String suspended = jdbc().sql("select reason from stratos_member_transition where member_id = ? and "
                        + "to_state = 'SUSPENDED' order by id desc limit 1")
                .param(members.get(0).get("MEMBER_ID"))
                .query(String.class)
                .single();
        assertThat(suspended).contains("the broker has been unreachable");
        BrokerLink link = manager.getBean(BrokerLink.class);
        assertThat(link.reachable()).isFalse();

        // back: the manager's connection comes back by itself (and the agents' connection can be closed)
        broker.restart();
        await().atMost(Duration.ofSeconds(20)).until(link::reachable);
    }

    @Test
    void commandsThatCouldNotGoOutWhileTheBrokerWasDownAreSentWhenItIsBackAndNoAgentIsGivenUp(@TempDir Path dir)
            throws Exception {
        StandaloneBroker broker = StandaloneBroker.start(dir);
        brokers = broker;
        startManagerAndAgents(broker.url(), broker.managerPassword(), broker::addUser, Duration.ofMillis(500));
        BrokerLink link = manager.getBean(BrokerLink.class);
        broker.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> !link.reachable());

        // started while the broker is down, which stays down longer than the acknowledgement window (5 s): the
        // agents cannot acknowledge what could not be sent, and are not declared unreachable for it
        String update = startUpdate(false, null, "PT30S", true);
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
        assertThat(jdbc().sql("select count(*) from stratos_update_member where update_id = ? "
                                + "and (state = 'FAILED' or failure is not null)")
                        .param(update)
                        .query(Integer.class)
                        .single())
                .as("members given up while the broker was down")
                .isZero();
        broker.restart();

        await().atMost(Duration.ofSeconds(90)).until(() -> terminal(update));
        assertThat(state(update)).isEqualTo("COMPLETED");
        assertEveryMemberUpdatedOnceByItsAgent(update);
    }

    @Test
    void aSharedStorePairFailsOverAndTheUpdateFinishesOnTheSecondBroker(@TempDir Path dir) throws Exception {
        StandaloneBroker.Pair pair = StandaloneBroker.pair(dir);
        brokers = pair;
        StandaloneBroker first = pair.master();
        StandaloneBroker second = pair.slave();
        // the plain list, as an operator would write it: manager and agents wrap it in failover:(...)
        String urls = first.url() + "," + second.url();
        startManagerAndAgents(urls, pair.managerPassword(), pair::addUser, Duration.ofSeconds(2));

        String update = startUpdate(true, "2", "PT30S", true);
        awaitBatchRunning(update);
        long killed = System.nanoTime();
        first.kill();
        pair.awaitMaster(second, Duration.ofSeconds(30));
        long tookOver = System.nanoTime();

        await().atMost(Duration.ofSeconds(90)).until(() -> terminal(update));
        System.out.printf(
                "failover pair: second broker serving %d ms after kill -9; update done %d ms later%n",
                (tookOver - killed) / 1_000_000, (System.nanoTime() - tookOver) / 1_000_000);
        assertThat(state(update)).isEqualTo("COMPLETED");
        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAccepting()).isTrue();
        assertEveryMemberUpdatedOnceByItsAgent(update);
    }

    // ------------------------------------------------------------------------------------------------ set-up

    private interface Users {
        Object add(String user, String password, String group);
    }

    private void startManagerAndAgents(String brokerUrl, String managerPassword, Users users, Duration updateTakes)
            throws Exception {
        startManager(brokerUrl, managerPassword);
        manager.getBean(TopologyService.class)
                .register(new NewApplication(
                        APP,
                        null,
                        List.of(new NewApplication.NewCluster("php", "php", "puppet", "1.0", null, null)),
                        null));
        IssuedCredentials fleet = manager.getBean(AgentCredentials.class)
                .register(APP, "php", MEMBERS, true, "test")
                .get(0);
        // the operator's step for an external broker: the issued credentials into users.properties/groups.properties
        users.add(fleet.user(), fleet.password(), BrokerGroups.FLEETS);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(BrokerUrls.reconnecting(brokerUrl));
        factory.setWatchTopicAdvisories(false);
        factory.setUserName(fleet.user());
        factory.setPassword(fleet.password());
        agentConnection = factory.createConnection();
        agentConnection.start();
        for (String memberId : fleet.memberIds()) {
            MemberAgent agent = new MemberAgent(
                    new AgentIdentity(APP, "php", CLUSTER, memberId, null, null, null, null),
                    AgentSettings.defaults("1.0"),
                    new SimulatedUpdateCommand(updateTakes, 0, new SplittableRandom()),
                    HealthCheck.NONE,
                    JmsAgentChannel.open(agentConnection, memberId));
            agent.start();
            agents.add(agent);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        jdbc().sql("select count(*) from stratos_member " + "where cluster_id = ? and state = 'ACTIVE'")
                                        .param(CLUSTER)
                                        .query(Integer.class)
                                        .single()
                                == MEMBERS);
    }

    private void startManager(String brokerUrl, String managerPassword, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:mem:standalone-broker-" + NODES.incrementAndGet()
                        + ";DB_CLOSE_DELAY=-1",
                "--camunda.bpm.admin-user.password=standalone-broker-test-password",
                "--camunda.bpm.process-engine-name=standaloneBroker" + NODES.get(),
                "--camunda.bpm.job-execution.max-wait=500",
                "--stratos.broker.embedded=false",
                "--stratos.broker.url=" + brokerUrl,
                "--stratos.broker.password=" + managerPassword,
                "--stratos.update.resend-interval=PT1S",
                "--stratos.update.ack-timeout=PT5S",
                "--stratos.demo.enabled=false",
                "--spring.jmx.enabled=false",
                "--spring.autoconfigure.exclude=org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration",
                "--logging.level.root=WARN",
                "--logging.level.org.stratos.update.messaging.BrokerLink=INFO"));
        args.addAll(List.of(more));
        manager = new SpringApplicationBuilder(StratosUpdateManager.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(30)).until(manager.getBean(BrokerLink.class)::reachable);
    }

    private String startUpdate(boolean phased, String batchSize, String updateTimeout, boolean autoRollback) {
        return manager.getBean(UpdateService.class)
                .start(
                        APP,
                        new UpdateRequest(
                                List.of("php"),
                                null,
                                "2.0",
                                null,
                                phased,
                                batchSize,
                                null,
                                null,
                                "PT1S",
                                "PT0S",
                                null,
                                updateTimeout,
                                null,
                                autoRollback,
                                null),
                        "tester")
                .id();
    }

    /** The first batch's agents have acknowledged their commands and run the update now. */
    private void awaitBatchRunning(String update) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc().sql(
                                        "select count(*) from stratos_update_member "
                                                + "where update_id = ? and batch_number = 1 and acked_at is not null and report_ok is null")
                                .param(update)
                                .query(Integer.class)
                                .single()
                        > 0);
    }

    private void assertEveryMemberUpdatedOnceByItsAgent(String update) {
        List<Map<String, Object>> members = jdbc().sql("select member_id, state, exit_code, failure, report_ok "
                        + "from stratos_update_member where update_id = ?")
                .param(update)
                .query()
                .listOfRows();
        assertThat(members).hasSize(MEMBERS).allSatisfy(m -> {
            assertThat(m.get("STATE")).isEqualTo("UPDATED");
            assertThat(m.get("REPORT_OK"))
                    .as("the agent's own report, not a give-up")
                    .isEqualTo(true);
            assertThat(m.get("FAILURE")).isNull();
            assertThat(m.get("EXIT_CODE"))
                    .as("Puppet's: 0 or 2 (changes applied)")
                    .isIn(0, 2);
        });
        for (Map<String, Object> m : members) {
            // Updating (from 1.0) once and Active on 2.0 once per member: no report counted twice, none lost
            List<String> steps = jdbc().sql("select to_state || ' ' || coalesce(version, '') from "
                            + "stratos_member_transition where member_id = ? and at >= (select started_at from "
                            + "stratos_update where id = ?) order by id")
                    .params(m.get("MEMBER_ID"), update)
                    .query(String.class)
                    .list();
            assertThat(steps).as("transitions of %s", m.get("MEMBER_ID")).containsExactly("UPDATING 1.0", "ACTIVE 2.0");
        }
    }

    private boolean terminal(String update) {
        return List.of(
                        "COMPLETED",
                        "COMPLETED_WITH_FAILURES",
                        "ROLLED_BACK",
                        "ROLLBACK_FAILED",
                        "PREFLIGHT_FAILED",
                        "FAILED",
                        "ABORTED",
                        "CANCELLED")
                .contains(state(update));
    }

    private String state(String update) {
        return jdbc().sql("select state from stratos_update where id = ?")
                .param(update)
                .query(String.class)
                .single();
    }

    private JdbcClient jdbc() {
        return manager.getBean(JdbcClient.class);
    }
}
