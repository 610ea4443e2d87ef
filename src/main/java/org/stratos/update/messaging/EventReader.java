package org.stratos.update.messaging;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.springframework.stereotype.Component;

/** Turns an incoming message into its event record, or rejects it (counted and logged) when it cannot be read. */
@Component
public class EventReader {

    private final ObjectMapper json;
    private final EventRejections rejections;

    EventReader(ObjectMapper json, EventRejections rejections) {
        this.json = json;
        this.rejections = rejections;
    }

    public <T> Optional<T> read(Message message, String topic, Class<T> type) {
        String body;
        try {
            if (!(message instanceof TextMessage text) || (body = text.getText()) == null) {
                rejections.reject(topic, "malformed", "not a JSON text message: " + message.getClass().getSimpleName());
                return Optional.empty();
            }
        } catch (JMSException e) {
            rejections.reject(topic, "malformed", "unreadable message: " + e.getMessage());
            return Optional.empty();
        }
        try {
            T event = json.readValue(body, type);
            if (event == null) {
                rejections.reject(topic, "malformed", "empty JSON");
                return Optional.empty();
            }
            return Optional.of(event);
        } catch (JsonProcessingException e) {
            rejections.reject(topic, "malformed", e.getOriginalMessage() + " in " + abbreviate(body));
            return Optional.empty();
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 197) + "...";
    }
}
