package org.stratos.update.messaging.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.DestinationFilter;
import org.apache.activemq.broker.region.Topic;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratos.update.messaging.broker.TestClients.Listener;
import org.stratos.update.support.StaticBrokerUsers;
import org.stratos.update.support.TestBrokers;

/**
 * Commands dispatched by member reach exactly the subscriptions the default dispatch would reach (each agent its own
 * member's, the manager's unselected and wildcard subscriptions every one), also while consumers come and go, and
 * through the index, not by matching every selector.
 */
class MemberCommandDispatchTest {

    static final ActiveMQTopic COMMANDS = new ActiveMQTopic(StratosAuthorizationBroker.COMMAND_TOPIC);
    static final String M1 = "shop.php.php.domain-m1";
    static final String M2 = "shop.php.php.domain-m2";
    static final String M3 = "shop.php.php.domain-m3";

    BrokerService broker;
    Connection manager;
    Connection agent;

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBrokers.start(
                "member-dispatch-test",
                new StaticBrokerUsers()
                        .add("stratos-manager", "m", BrokerGroups.MANAGERS)
                        .add(M1, "a", BrokerGroups.AGENTS));
        manager = TestBrokers.connect(TestBrokers.url(broker), "stratos-manager", "m");
        agent = TestBrokers.connect(TestBrokers.url(broker), M1, "a");
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
        agent.close();
        broker.stop();
    }

    @Test
    void eachCommandReachesItsMembersSubscriptionsAndTheUnselectedOnesOnly() throws Exception {
        Listener m1 = TestClients.listen(agent, COMMANDS, "memberId = '" + M1 + "'");
        Listener m2 = TestClients.listen(manager, COMMANDS, "memberId='" + M2 + "'");
        Listener m2Again = TestClients.listen(manager, COMMANDS, " memberId =  '" + M2 + "' ");
        Listener quoted = TestClients.listen(manager, COMMANDS, "memberId = 'it''s'");
        Listener everything = TestClients.listen(manager, COMMANDS, null);
        Listener wildcard = TestClients.listen(manager, new ActiveMQTopic("instance.notifier.>"), null);
        Listener otherSelector = TestClients.listen(manager, COMMANDS, "memberId LIKE '%m2'");

        send("for m1", M1);
        send("for m2", M2);
        send("for m3, nobody's", M3);
        send("for it's", "it's");
        send("no member", null);
        sendWithIntMember("member as a number");
        fence(M1, M2, "it's");

        assertThat(m1.received()).containsExactly("for m1", "fence");
        assertThat(m2.received()).containsExactly("for m2", "fence");
        assertThat(m2Again.received()).containsExactly("for m2", "fence");
        assertThat(quoted.received()).containsExactly("for it's", "fence");
        assertThat(otherSelector.received()).containsExactly("for m2", "fence");
        await().atMost(Duration.ofSeconds(10)).until(() -> everything.received().size() == 9);
        assertThat(everything.received())
                .containsExactly(
                        "for m1",
                        "for m2",
                        "for m3, nobody's",
                        "for it's",
                        "no member",
                        "member as a number",
                        "fence",
                        "fence",
                        "fence");
        await().atMost(Duration.ofSeconds(10)).until(() -> wildcard.received().size() == 9);
        assertThat(dispatch().fullDispatches())
                .as("every command went through the index")
                .isZero();
        assertThat(commandTopic().getDispatchPolicy()).isSameAs(dispatch());
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndANewOneGetsWhatFollows() throws Exception {
        Listener first = TestClients.listen(agent, COMMANDS, "memberId = '" + M1 + "'");
        send("one", M1);
        fence(M1);
        first.close();
        send("while away", M1);
        Listener second = TestClients.listen(agent, COMMANDS, "memberId = '" + M1 + "'");
        send("two", M1);
        fence(M1);

        assertThat(first.received()).containsExactly("one", "fence");
        assertThat(second.received()).containsExactly("two", "fence");
        assertThat(dispatch().fullDispatches()).isZero();
    }

    @Test
    void aConnectionThatDropsTakesItsSubscriptionsOutOfTheIndex() throws Exception {
        Connection other = TestBrokers.connect(TestBrokers.url(broker), "stratos-manager", "m");
        TestClients.listen(other, COMMANDS, "memberId = '" + M2 + "'");
        Listener m1 = TestClients.listen(agent, COMMANDS, "memberId = '" + M1 + "'");
        other.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> commandTopic().getConsumers().size() == 1 && trackedSubscriptions() == 1);

        send("after the drop", M2);
        send("for m1", M1);
        fence(M1);

        assertThat(m1.received()).containsExactly("for m1", "fence");
        assertThat(dispatch().fullDispatches()).isZero();
    }

    /** A message to each member; returns once each member's subscriptions have it (they get messages in order). */
    private void fence(String... members) throws Exception {
        List<Listener> fences = new java.util.ArrayList<>();
        for (String member : members) {
            fences.add(TestClients.listen(manager, COMMANDS, "memberId = '" + member.replace("'", "''") + "'"));
        }
        for (String member : members) {
            send("fence", member);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fences.stream().allMatch(f -> f.received().contains("fence")));
        for (Listener f : fences) {
            f.close();
        }
        // the fences' own subscriptions are gone from the index again (the next command is not a full dispatch)
        await().atMost(Duration.ofSeconds(10))
                .until(() -> commandTopic().getConsumers().size() == trackedSubscriptions());
    }

    private int trackedSubscriptions() {
        return dispatch().subscriptions();
    }

    private MemberCommandDispatch dispatch() {
        Broker b;
        try {
            b = broker.getBroker();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        while (b instanceof BrokerFilter filter) {
            if (filter instanceof MemberCommandDispatch d) {
                return d;
            }
            b = filter.getNext();
        }
        throw new AssertionError("no MemberCommandDispatch in the broker's chain");
    }

    private Topic commandTopic() {
        try {
            Destination d = broker.getDestination(COMMANDS);
            while (d instanceof DestinationFilter f) {
                d = f.getNext();
            }
            return (Topic) d;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String body, String memberId) throws Exception {
        TestClients.send(manager, COMMANDS, body, memberId);
    }

    private void sendWithIntMember(String body) throws Exception {
        Session s = manager.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TextMessage m = s.createTextMessage(body);
        m.setIntProperty(CommandSelector.MEMBER_ID, 1);
        s.createProducer(COMMANDS).send(m);
        s.close();
    }
}
