package org.stratos.update.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdatingEvent;

/**
 * {@link AgentChannel} on a JMS connection that someone else owns (a fleet shares one among thousands of agents).
 * Two sessions: one delivers commands to the listener, the other publishes, because a JMS session with a message
 * listener must not be used from other threads. Commands are selected by the broker on the {@code memberId}
 * property, and only those the broker stamped as sent by the manager's user ({@code JMSXUserID}) are handed on;
 * replies are persistent, as the manager reads them from queues that outlive its restarts.
 */
public final class JmsAgentChannel implements AgentChannel {

    private static final Logger log = LoggerFactory.getLogger(JmsAgentChannel.class);
    private static final String COMMAND_TOPIC = EventTopics.topicOf(SoftwareUpdateEvent.class);
    /** The manager's broker user unless configured otherwise ({@code stratos.broker.user}). */
    public static final String DEFAULT_MANAGER_USER = "stratos-manager";

    static final String SENDER_PROPERTY = "JMSXUserID";

    private final Connection connection;
    private final String memberId;
    private final String managerUser;
    // senders of refused commands already logged at WARN: a flood of forgeries is logged once per sender
    private final Set<String> refusedSenders = ConcurrentHashMap.newKeySet();
    private final Session publishing;
    private final MessageProducer producer;
    // publishing has its own lock: a send blocked while the broker is away must not keep close() waiting
    private final Object publishLock = new Object();
    private Session receiving;

    private JmsAgentChannel(Connection connection, String memberId, String managerUser) throws JMSException {
        this.connection = connection;
        this.memberId = memberId;
        this.managerUser = managerUser;
        this.publishing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = publishing.createProducer(null);
        this.producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    /** A channel that takes commands from the manager's default user, {@value #DEFAULT_MANAGER_USER}. */
    public static JmsAgentChannel open(Connection sharedConnection, String memberId) throws AgentException {
        return open(sharedConnection, memberId, DEFAULT_MANAGER_USER);
    }

    /** A channel that takes commands only from {@code managerUser}, the manager's broker user. */
    public static JmsAgentChannel open(Connection sharedConnection, String memberId, String managerUser)
            throws AgentException {
        Objects.requireNonNull(sharedConnection, "sharedConnection");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(managerUser, "managerUser");
        try {
            return new JmsAgentChannel(sharedConnection, memberId, managerUser);
        } catch (JMSException e) {
            throw new AgentException("cannot open a session for member " + memberId + ": " + e.getMessage(), e);
        }
    }

    /** {@code memberId = '<id>'}, quotes doubled as JMS selectors (SQL-92 literals) require. */
    static String selectorFor(String memberId) {
        return EventTopics.MEMBER_ID_PROPERTY + " = '" + memberId.replace("'", "''") + "'";
    }

    @Override
    public synchronized void onCommand(Consumer<SoftwareUpdateEvent> handler) throws AgentException {
        if (receiving != null) {
            throw new IllegalStateException("commands of member " + memberId + " already have a handler");
        }
        try {
            // not noLocal: in a fleet the manager may publish its commands on this very connection
            receiving = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer =
                    receiving.createConsumer(receiving.createTopic(COMMAND_TOPIC), selectorFor(memberId));
            consumer.setMessageListener(message -> deliver(message, handler));
        } catch (JMSException e) {
            closeQuietly(receiving);
            receiving = null;
            throw new AgentException(
                    "cannot subscribe to the commands of member " + memberId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void publish(Object event) throws AgentException {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + event.getClass().getSimpleName() + " as JSON", e);
        }
        synchronized (publishLock) {
            try {
                TextMessage message = publishing.createTextMessage(json);
                message.setStringProperty(EventTopics.MEMBER_ID_PROPERTY, memberId);
                // the "applying" notice is progress only: sent non-persistent (no journal write on the broker). If it
                // is
                // lost (broker restart, failover), the manager sends the command again and a repeated command is
                // acknowledged again (MemberAgent), so nothing waits on a lost one. Reports stay persistent.
                producer.send(
                        publishing.createTopic(EventTopics.topicOf(event.getClass())),
                        message,
                        event instanceof InstanceUpdatingEvent ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT,
                        Message.DEFAULT_PRIORITY,
                        Message.DEFAULT_TIME_TO_LIVE);
            } catch (JMSException e) {
                throw new AgentException(
                        "cannot publish " + event.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Closing a session is the one thing JMS allows from any thread, even while another uses it. */
    @Override
    public void close() {
        synchronized (this) {
            closeQuietly(receiving);
            receiving = null;
        }
        closeQuietly(publishing);
    }

    private void deliver(Message message, Consumer<SoftwareUpdateEvent> handler) {
        SoftwareUpdateEvent command;
        try {
            String sender = message.getStringProperty(SENDER_PROPERTY);
            if (!managerUser.equals(sender)) {
                String who = sender == null ? "no authenticated sender" : sender;
                if (refusedSenders.size() < 16 && refusedSenders.add(who)) {
                    log.warn(
                            "Ignoring commands for member {} from {}: only {} sends commands (further ones from "
                                    + "this sender are logged at DEBUG)",
                            memberId,
                            who,
                            managerUser);
                } else {
                    log.debug("Ignoring a command for member {} from {}", memberId, who);
                }
                return;
            }
            if (!(message instanceof TextMessage text) || text.getText() == null) {
                log.warn("Ignoring command for member {}: not a JSON text message", memberId);
                return;
            }
            command = Json.MAPPER.readValue(text.getText(), SoftwareUpdateEvent.class);
        } catch (JsonProcessingException e) {
            log.warn("Ignoring unreadable command for member {}: {}", memberId, e.getOriginalMessage());
            return;
        } catch (JMSException e) {
            log.warn("Ignoring unreadable command for member {}: {}", memberId, e.getMessage());
            return;
        }
        try {
            handler.accept(command);
        } catch (RuntimeException e) {
            // a listener that throws gets the message redelivered, and the same failure again
            log.error("Command {} for member {} broke the agent", command, memberId, e);
        }
    }

    private static void closeQuietly(Session session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (JMSException e) {
            log.debug("Closing a session: {}", e.getMessage());
        }
    }
}
