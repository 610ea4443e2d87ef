package org.stratos.update.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.TextMessage;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.stratos.update.common.EventPublisher;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/** {@link EventPublisher} on ActiveMQ: plain JSON text messages, one topic per event class. */
@Component
class JmsEventPublisher implements EventPublisher {

    private final JmsTemplate topics;
    private final ObjectMapper json;

    JmsEventPublisher(JmsTemplate topicTemplate, ObjectMapper json) {
        this.topics = topicTemplate;
        this.json = json;
    }

    @Override
    public void publish(Object event) {
        String body = toJson(event);
        topics.send(EventTopics.topicOf(event.getClass()), session -> session.createTextMessage(body));
    }

    @Override
    public void sendCommand(SoftwareUpdateEvent command) {
        String body = toJson(command);
        topics.send(EventTopics.topicOf(SoftwareUpdateEvent.class), session -> {
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty(EventTopics.MEMBER_ID_PROPERTY, command.memberId());
            return message;
        });
    }

    private String toJson(Object event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + event.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
