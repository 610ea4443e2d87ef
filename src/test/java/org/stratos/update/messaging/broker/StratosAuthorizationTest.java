package org.stratos.update.messaging.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.StratosBroker;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.support.StaticBrokerUsers;
import org.stratos.update.support.TestBrokers;

/**
 * The Stratos rules on a broker that knows its users as an external broker does (fixed lists, ownership by
 * convention): rogue clients try every way around them with a plain ActiveMQ client.
 */
class StratosAuthorizationTest {

    static final String COMMANDS = "instance.notifier.SoftwareUpdateEvent";
    static final String MEMBER = "shop.php.php.domain-m1";
    static final String OTHER = "shop.php.php.domain-m2";

    BrokerService broker;
    String url;
    Connection manager;
    Connection agent;

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBrokers.start(
                "authorization-test",
                new StaticBrokerUsers()
                        .add("stratos-manager", "m", BrokerGroups.MANAGERS)
                        .add(MEMBER, "a", BrokerGroups.AGENTS)
                        .add("fleet-1", "f", BrokerGroups.FLEETS)
                        .add("lb", "o", BrokerGroups.OBSERVERS));
        url = TestBrokers.url(broker);
        manager = connect("stratos-manager", "m");
        agent = connect(MEMBER, "a");
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
        agent.close();
        broker.stop();
    }

    @Test
    void theBrokersTopicNamesAreTheContractsOnes() {
        assertThat(StratosAuthorizationBroker.COMMAND_TOPIC).isEqualTo(EventTopics.topicOf(SoftwareUpdateEvent.class));
        assertThat(EventTopics.EVENT_CLASSES.stream()
                        .map(EventTopics::topicOf)
                        .filter(t -> !t.equals(StratosAuthorizationBroker.COMMAND_TOPIC)))
                .allMatch(t -> t.startsWith(StratosAuthorizationBroker.STATUS_PREFIX)
                        || t.startsWith(StratosAuthorizationBroker.TOPOLOGY_PREFIX));
    }

    @Test
    void anAgentReadsItsOwnCommandsAndNoOneElses() throws Exception {
        List<String> own = listen(agent, topic(COMMANDS), "memberId = '" + MEMBER + "'");
        send(manager, topic(COMMANDS), "for m2", OTHER);
        send(manager, topic(COMMANDS), "for m1", MEMBER);

        await().atMost(Duration.ofSeconds(5)).until(() -> own.contains("for m1"));
        assertThat(own).containsExactly("for m1");
        assertRefused(() -> listen(agent, topic(COMMANDS), "memberId = '" + OTHER + "'"));
        assertRefused(() -> listen(agent, topic(COMMANDS), null));
        assertRefused(() -> listen(agent, topic(COMMANDS), "memberId = '" + MEMBER + "' OR memberId LIKE '%'"));
        assertRefused(() -> listen(agent, topic(COMMANDS), "memberId LIKE 'shop%'"));
    }

    @Test
    void anAgentCannotReachCommandsThroughWildcardsCompositesOrDurableSubscriptions() {
        assertRefused(() -> listen(agent, topic(">"), null));
        assertRefused(() -> listen(agent, topic("instance.>"), "memberId = '" + MEMBER + "'"));
        assertRefused(() -> listen(agent, topic("instance.notifier.*"), "memberId = '" + MEMBER + "'"));
        assertRefused(() -> listen(agent, topic("ActiveMQ.Advisory.TempQueue," + COMMANDS), null));
        assertRefused(() -> {
            try (Connection durable = new ActiveMQConnectionFactory(MEMBER, "a", url).createConnection()) {
                durable.setClientID("durable-rogue");
                durable.createSession(false, Session.AUTO_ACKNOWLEDGE)
                        .createDurableSubscriber(topic(COMMANDS), "rogue", "memberId = '" + MEMBER + "'", false);
            }
        });
    }

    @Test
    void anAgentCannotSendCommandsOrTopologyEventsOrWriteToQueues() {
        assertRefused(() -> send(agent, topic(COMMANDS), "{\"version\":\"6.6.6-evil\"}", OTHER));
        assertRefused(() -> send(agent, topic("topology.MemberActivatedEvent"), "{}", null));
        assertRefused(() -> send(
                agent,
                new ActiveMQQueue("Consumer.StratosUpdateManager.instance.status." + "InstanceUpdatedEvent"),
                "{}",
                null));
        assertRefused(() -> send(agent, topic("instance.status.>"), "{}", null));
        assertRefused(() -> send(agent, topic("instance.status.InstanceUpdatedEvent," + COMMANDS), "{}", OTHER));
    }

    @Test
    void anAgentCannotReadTheManagersQueuesNorMakeAQueueOfItsOwnNorRemoveOne() throws Exception {
        assertRefused(() -> listen(
                agent,
                new ActiveMQQueue("Consumer.StratosUpdateManager.instance.status." + "InstanceUpdatedEvent"),
                null));
        assertRefused(
                () -> listen(agent, new ActiveMQQueue("Consumer.rogue.instance.status.InstanceUpdatedEvent"), null));
        assertRefused(() -> listen(agent, topic("instance.status.InstanceUpdatedEvent"), null));
        assertRefused(() -> listen(agent, topic("topology.MemberActivatedEvent"), null));
        assertRefused(() -> ((ActiveMQConnection) agent)
                .destroyDestination(
                        new ActiveMQQueue("Consumer.StratosUpdateManager.instance.status.InstanceUpdatedEvent")));
        assertRefused(() -> agent.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue());
    }

    @Test
    void anAgentPublishesStatusEventsThatReachTheManagersQueueStampedWithItsUser() throws Exception {
        List<Message> received = new CopyOnWriteArrayList<>();
        Session s = manager.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(new ActiveMQQueue("Consumer.StratosUpdateManager.instance.status.InstanceStartedEvent"))
                .setMessageListener(received::add);

        Session a = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TextMessage message = a.createTextMessage("{}");
        message.setStringProperty("JMSXUserID", "stratos-manager"); // a forgery the broker overwrites
        a.createProducer(null).send(topic("instance.status.InstanceStartedEvent"), message);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(received.get(0).getStringProperty("JMSXUserID")).isEqualTo(MEMBER);
    }

    @Test
    void aFleetReadsTheCommandsOfAnyMemberButStillOnlyByMemberAndSendsNoCommands() throws Exception {
        try (Connection fleet = connect("fleet-1", "f")) {
            List<String> m2 = listen(fleet, topic(COMMANDS), "memberId = '" + OTHER + "'");
            send(manager, topic(COMMANDS), "for m2", OTHER);
            await().atMost(Duration.ofSeconds(5)).until(() -> m2.contains("for m2"));
            assertRefused(() -> listen(fleet, topic(COMMANDS), null));
            assertRefused(() -> send(fleet, topic(COMMANDS), "{}", OTHER));
        }
    }

    @Test
    void anObserverReadsTopologyEventsOnly() throws Exception {
        try (Connection lb = connect("lb", "o")) {
            List<String> topology = listen(lb, topic("topology.>"), null);
            send(manager, topic("topology.MemberActivatedEvent"), "activated", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> topology.contains("activated"));
            assertRefused(() -> listen(lb, topic(COMMANDS), "memberId = '" + MEMBER + "'"));
            assertRefused(() -> send(lb, topic("instance.status.InstanceActivatedEvent"), "{}", null));
        }
    }

    @Test
    void withAdvisoriesOnAsAnExternalBrokerHasThemAgentsConnectAndStillReadNoOneElsesCommands() throws Exception {
        BrokerService advising = StratosBroker.create(
                TestBrokers.properties("advisory-test", "tcp://127.0.0.1:0", null),
                new StaticBrokerUsers().add(MEMBER, "a", BrokerGroups.AGENTS),
                MemberOwnership.byConvention());
        advising.setAdvisorySupport(true);
        advising.start();
        try {
            // the client's defaults: it watches the temporary destination advisories
            Connection c = new ActiveMQConnectionFactory(MEMBER, "a", TestBrokers.url(advising)).createConnection();
            c.start();
            listen(c, topic(COMMANDS), "memberId = '" + MEMBER + "'");
            assertRefused(() -> listen(c, topic("ActiveMQ.Advisory.Consumer.Topic." + COMMANDS), null));
            c.close();
        } finally {
            advising.stop();
        }
    }

    private Connection connect(String user, String password) throws Exception {
        return TestBrokers.connect(url, user, password);
    }

    private static ActiveMQTopic topic(String name) {
        return new ActiveMQTopic(name);
    }

    private static List<String> listen(Connection c, jakarta.jms.Destination d, String selector) throws Exception {
        return TestClients.listen(c, d, selector).received();
    }

    private static void send(Connection c, jakarta.jms.Destination d, String body, String memberId) throws Exception {
        TestClients.send(c, d, body, memberId);
    }

    private static void assertRefused(ThrowingRunnable action) {
        assertThatThrownBy(action::run).isInstanceOf(JMSSecurityException.class);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
