package org.stratos.update.agent;

import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/** The manager's side, as far as a test needs it: sends commands and collects every {@code instance.status.*} event. */
final class TestClient implements AutoCloseable {

    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final Topic commands;
    private final List<Object> events = new CopyOnWriteArrayList<>();
    // the JMS delivery mode each event came with: "{member} {type's simple name} persistent|non-persistent"
    private final List<String> deliveryModes = new CopyOnWriteArrayList<>();

    TestClient(String brokerUrl) throws Exception {
        this(brokerUrl, JmsAgentChannel.DEFAULT_MANAGER_USER);
    }

    /** Connected as {@code user}: agents take commands only from the manager's user. */
    TestClient(String brokerUrl, String user) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setWatchTopicAdvisories(false);
        factory.setUserName(user);
        connection = factory.createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
        commands = session.createTopic(EventTopics.topicOf(SoftwareUpdateEvent.class));
        Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = listening.createConsumer(listening.createTopic("instance.status.>"));
        consumer.setMessageListener(message -> {
            try {
                String topic = ((Topic) message.getJMSDestination()).getTopicName();
                Object event = Json.MAPPER.readValue(((TextMessage) message).getText(), EventTopics.classOf(topic));
                deliveryModes.add(message.getStringProperty(EventTopics.MEMBER_ID_PROPERTY) + " "
                        + event.getClass().getSimpleName() + " "
                        + (message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT ? "persistent" : "non-persistent"));
                events.add(event);
            } catch (Exception e) {
                events.add(e);
            }
        });
    }

    synchronized void send(SoftwareUpdateEvent command) throws Exception {
        sendRaw(Json.MAPPER.writeValueAsString(command), command.memberId());
    }

    synchronized void sendRaw(String body, String memberId) throws Exception {
        TextMessage message = session.createTextMessage(body);
        message.setStringProperty(EventTopics.MEMBER_ID_PROPERTY, memberId);
        producer.send(commands, message);
    }

    <T> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T> List<T> events(Class<T> type, Predicate<T> filter) {
        return events(type).stream().filter(filter).toList();
    }

    /** "{type} persistent" or "{type} non-persistent" for each event of {@code type} received from {@code memberId}. */
    List<String> deliveryModes(String memberId, Class<?> type) {
        String prefix = memberId + " " + type.getSimpleName() + " ";
        return deliveryModes.stream()
                .filter(m -> m.startsWith(prefix))
                .map(m -> m.substring(memberId.length() + 1))
                .toList();
    }

    List<Object> all() {
        return List.copyOf(events);
    }

    /** The first event of a type that matches, waiting for it at most {@code timeout}. */
    <T> T awaitEvent(Class<T> type, Predicate<T> filter, Duration timeout) {
        await().atMost(timeout).until(() -> !events(type, filter).isEmpty());
        return events(type, filter).get(0);
    }

    <T> T awaitEvent(Class<T> type, Predicate<T> filter) {
        return awaitEvent(type, filter, Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
