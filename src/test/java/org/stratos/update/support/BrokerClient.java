package org.stratos.update.support;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.stratos.update.credentials.AgentCredentials;

/**
 * A JMS client of the test's broker, connected over its TCP connector as an agent in another process would be:
 * sends raw JSON to topics and records what arrives on the topics it listens to. {@link #BrokerClient(BrokerService)}
 * logs in as the manager (it may read commands and topology events); {@link #agent} as a fleet that speaks for the
 * members it registers (it may report for them); {@link #as} as anyone.
 */
public final class BrokerClient implements AutoCloseable {

    /** The manager's login in the tests' configuration ({@code stratos-test.properties}). */
    public static final String MANAGER_USER = "stratos-manager";

    public static final String MANAGER_PASSWORD = "test-broker-password";

    private final Connection connection;
    private final Session session;
    private final String user;

    /** Logged in as the manager. */
    public BrokerClient(BrokerService broker) {
        this(broker, MANAGER_USER, MANAGER_PASSWORD);
    }

    private BrokerClient(BrokerService broker, String user, String password) {
        this.user = user;
        try {
            String url = broker.getTransportConnectors().get(0).getPublishableConnectString();
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
            factory.setWatchTopicAdvisories(false);
            factory.setUserName(user);
            factory.setPassword(password);
            connection = factory.createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to the test broker as " + user, e);
        }
    }

    /** Logged in as {@code user}. */
    public static BrokerClient as(BrokerService broker, String user, String password) {
        return new BrokerClient(broker, user, password);
    }

    /**
     * Logged in as a new fleet user that speaks for {@code memberIds} of {@code clusterId}, registered here as a
     * runtime registers the members it starts.
     */
    public static BrokerClient agent(
            BrokerService broker, AgentCredentials credentials, String clusterId, String... memberIds) {
        String fleet = "test-fleet-" + UUID.randomUUID();
        String password = credentials.issueFleetPassword(fleet, null, "test");
        credentials.registerFleetMembers(fleet, clusterId, List.of(memberIds));
        return new BrokerClient(broker, fleet, password);
    }

    /** The broker user this client logged in as. */
    public String user() {
        return user;
    }

    /** Sends {@code json} as a text message to {@code topic}, with optional string properties (name, value, ...). */
    public void send(String topic, String json, String... properties) {
        try (MessageProducer producer = session.createProducer(session.createTopic(topic))) {
            TextMessage message = session.createTextMessage(json);
            for (int i = 0; i + 1 < properties.length; i += 2) {
                message.setStringProperty(properties[i], properties[i + 1]);
            }
            producer.send(message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code json} to {@code topic} marked as a redelivery, a redelivery counter this client made up. The stock
     * client clears the mark when it sends; an OpenWire client written by hand need not, and the broker passes the
     * counter on.
     */
    public void sendMarkedRedelivered(String topic, String json) {
        try (MessageProducer producer = session.createProducer(session.createTopic(topic))) {
            ActiveMQTextMessage message = new ActiveMQTextMessage() {
                @Override
                public void setJMSRedelivered(boolean redelivered) {
                    // what the stock client calls on send to clear the mark: skipped
                }
            };
            message.setText(json);
            message.setRedeliveryCounter(1);
            producer.send(message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the bodies of messages that arrive on {@code topic} from now on. */
    public List<String> listen(String topic) {
        return listen(topic, null);
    }

    /** Records the bodies of messages that arrive on {@code topic} and match {@code selector}, from now on. */
    public List<String> listen(String topic, String selector) {
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            MessageConsumer consumer = session.createConsumer(session.createTopic(topic), selector);
            consumer.setMessageListener(m -> {
                try {
                    received.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    received.add("unreadable: " + e);
                }
            });
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        return received;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException ignored) {
            // closing a test client
        }
    }
}
