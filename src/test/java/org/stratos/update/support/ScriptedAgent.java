package org.stratos.update.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/**
 * A test client on the broker playing one member's agent, as an agent in another process would, with answers a test
 * scripts: the reports a real Puppet agent gives (a disabled Puppet, a no-op run, another version) or none at all. It
 * receives only its own member's commands (the manager's JMS selector) and publishes on the {@code instance.status}
 * topics; what it was sent is kept in {@link #commands()}.
 */
public final class ScriptedAgent implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String applicationId;
    private final String clusterId;
    private final String memberId;
    private final Connection connection;
    private final Session producing;
    private final List<SoftwareUpdateEvent> commands = new CopyOnWriteArrayList<>();
    private volatile Function<SoftwareUpdateEvent, List<Object>> script = c -> List.of();

    /** Connects as the agent of {@code memberId}, with the broker credentials the manager issued for it. */
    public ScriptedAgent(
            BrokerService broker, String applicationId, String clusterId, String memberId, String password) {
        this.applicationId = applicationId;
        this.clusterId = clusterId;
        this.memberId = memberId;
        try {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                    memberId, password, broker.getTransportConnectors().get(0).getPublishableConnectString());
            factory.setWatchTopicAdvisories(false);
            connection = factory.createConnection();
            connection.start();
            producing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            listening
                    .createConsumer(
                            listening.createTopic(EventTopics.topicOf(SoftwareUpdateEvent.class)),
                            EventTopics.MEMBER_ID_PROPERTY + " = '" + memberId + "'")
                    .setMessageListener(message -> {
                        try {
                            SoftwareUpdateEvent command =
                                    JSON.readValue(((TextMessage) message).getText(), SoftwareUpdateEvent.class);
                            commands.add(command);
                            script.apply(command).forEach(this::publish);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to the test broker", e);
        }
    }

    /** Answers every command from now on with the events {@code script} gives for it, in order. */
    public ScriptedAgent answering(Function<SoftwareUpdateEvent, List<Object>> script) {
        this.script = script;
        return this;
    }

    /** Says the member is ready on {@code version} (InstanceActivatedEvent): it joins, or comes back. */
    public ScriptedAgent activated(String version) {
        publish(new InstanceActivatedEvent(applicationId, "php", clusterId, null, null, null, memberId, version, null));
        return this;
    }

    /** The commands received so far. */
    public List<SoftwareUpdateEvent> commands() {
        return commands;
    }

    public String memberId() {
        return memberId;
    }

    /** The agent's acknowledgement of {@code command}. */
    public InstanceUpdatingEvent ack(SoftwareUpdateEvent command) {
        return new InstanceUpdatingEvent(
                command.updateId(),
                applicationId,
                "php",
                clusterId,
                memberId,
                command.version(),
                command.rollback(),
                command.noop());
    }

    /** Success: exit 2 (changes applied; for a no-op run: changes it would apply), {@code changed} resources. */
    public InstanceUpdatedEvent updated(SoftwareUpdateEvent command, int changed) {
        return new InstanceUpdatedEvent(
                command.updateId(),
                applicationId,
                "php",
                clusterId,
                memberId,
                command.version(),
                command.rollback(),
                2,
                20,
                "none",
                command.noop(),
                changed,
                0);
    }

    /** A failure of the given kind ({@link InstanceUpdateFailedEvent#FAILURES}). */
    public InstanceUpdateFailedEvent failed(
            SoftwareUpdateEvent command, String failure, Integer exitCode, String reason, String outputTail) {
        return new InstanceUpdateFailedEvent(
                command.updateId(),
                applicationId,
                "php",
                clusterId,
                memberId,
                command.version(),
                command.rollback(),
                exitCode,
                reason,
                outputTail,
                20,
                failure,
                command.noop(),
                null,
                null);
    }

    /** Publishes {@code event} now (a report the script held back). */
    public void report(Object event) {
        publish(event);
    }

    private synchronized void publish(Object event) {
        try (MessageProducer producer =
                producing.createProducer(producing.createTopic(EventTopics.topicOf(event.getClass())))) {
            producer.send(producing.createTextMessage(JSON.writeValueAsString(event)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
