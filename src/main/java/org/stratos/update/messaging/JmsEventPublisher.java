package org.stratos.update.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.TextMessage;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.stratos.update.common.EventPublisher;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * {@link EventPublisher} on ActiveMQ: plain JSON text messages, one topic per event class. While the manager's
 * connection to an external broker is down ({@link BrokerLink}) nothing is sent: a send would wait for the connection
 * and then fail, holding the engine's job and rolling back the state change it belongs to, and nobody could receive
 * it (a topic's subscribers are cut off as well). Such messages are logged once per outage and counted
 * ({@code stratos.events.unsent}); commands are sent again by the waiting batch once the broker is back.
 */
@Component
class JmsEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(JmsEventPublisher.class);

    private final JmsTemplate topics;
    private final ObjectMapper json;
    private final BrokerLink link;
    private volatile Instant reportedOutage;

    JmsEventPublisher(JmsTemplate topicTemplate, ObjectMapper json, BrokerLink link) {
        this.topics = topicTemplate;
        this.json = json;
        this.link = link;
    }

    @Override
    public void publish(Object event) {
        if (unreachable(event.getClass().getSimpleName())) {
            return;
        }
        String body = toJson(event);
        topics.send(EventTopics.topicOf(event.getClass()), session -> session.createTextMessage(body));
    }

    @Override
    public void sendCommand(SoftwareUpdateEvent command) {
        if (unreachable("the command to member " + command.memberId())) {
            return;
        }
        String body = toJson(command);
        topics.send(EventTopics.topicOf(SoftwareUpdateEvent.class), session -> {
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty(EventTopics.MEMBER_ID_PROPERTY, command.memberId());
            return message;
        });
    }

    private boolean unreachable(String what) {
        Instant since = link.unreachableSince().orElse(null);
        if (since == null) {
            return false;
        }
        link.notSent();
        if (!since.equals(reportedOutage)) {
            reportedOutage = since;
            log.warn(
                    "The broker is unreachable since {}: {} and what follows until it is back are not sent",
                    since,
                    what);
        } else {
            log.debug("The broker is unreachable: {} not sent", what);
        }
        return true;
    }

    private String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
