package org.stratos.update.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;

/**
 * A JMS client of the test's broker, connected over its TCP connector as an agent in another process would be:
 * sends raw JSON to topics and records what arrives on the topics it listens to.
 */
public final class BrokerClient implements AutoCloseable {

    private final Connection connection;
    private final Session session;

    public BrokerClient(BrokerService broker) {
        try {
            String url = broker.getTransportConnectors().get(0).getPublishableConnectString();
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
            factory.setWatchTopicAdvisories(false);
            connection = factory.createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to the test broker", e);
        }
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

    /** Records the bodies of messages that arrive on {@code topic} from now on. */
    public List<String> listen(String topic) {
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            MessageConsumer consumer = session.createConsumer(session.createTopic(topic));
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
