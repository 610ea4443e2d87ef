package org.stratos.update.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.credentials.AgentCredentials;
import org.stratos.update.credentials.Registration;

/**
 * The broker door for what agents report: turns an incoming status message into its event record, or rejects it
 * (counted, logged once per sender, acknowledged) when it is too large, unreadable, breaks the input rules, or does not
 * come from the principal its member is registered to. The sender is the user the broker authenticated and stamped on
 * the message ({@code JMSXUserID}); a client cannot set it itself.
 */
@Component
public class EventReader {

    /** No status event of the contract comes near this (an output tail is 4 KiB); anything bigger is refused unread. */
    static final int MAX_CHARS = 65_536;

    static final String SENDER_PROPERTY = "JMSXUserID";

    private final ObjectMapper json;
    private final EventRejections rejections;
    private final AgentCredentials credentials;

    EventReader(ObjectMapper json, EventRejections rejections, AgentCredentials credentials) {
        this.json = json;
        this.rejections = rejections;
        this.credentials = credentials;
    }

    public <T> Optional<T> read(Message message, String topic, Class<T> type) {
        String sender = sender(message);
        String body;
        try {
            if (!(message instanceof TextMessage text) || (body = text.getText()) == null) {
                rejections.reject(
                        topic,
                        "malformed",
                        "not a JSON text message: " + message.getClass().getSimpleName(),
                        sender);
                return Optional.empty();
            }
        } catch (JMSException e) {
            rejections.reject(topic, "malformed", "unreadable message: " + e.getMessage(), sender);
            return Optional.empty();
        }
        if (body.length() > MAX_CHARS) {
            rejections.reject(topic, "too-large", body.length() + " characters, more than " + MAX_CHARS, sender);
            return Optional.empty();
        }
        T event;
        try {
            event = json.readValue(body, type);
        } catch (JsonProcessingException e) {
            rejections.reject(topic, "malformed", e.getOriginalMessage() + " in " + abbreviate(body), sender);
            return Optional.empty();
        }
        if (event == null) {
            rejections.reject(topic, "malformed", "empty JSON", sender);
            return Optional.empty();
        }
        try {
            StatusEventRules.check(event);
        } catch (InvalidInputException e) {
            rejections.reject(topic, "invalid", e.getMessage(), sender);
            return Optional.empty();
        }
        return fromOwner(topic, event, sender) ? Optional.of(event) : Optional.empty();
    }

    /** Only the principal a member is registered to speaks for it, and only about the member's own cluster. */
    private boolean fromOwner(String topic, Object event, String sender) {
        StatusEventRules.Subject subject = StatusEventRules.subjectOf(event);
        String memberId = subject.memberId();
        if (sender == null) {
            rejections.reject(
                    topic,
                    "unauthenticated",
                    "no " + SENDER_PROPERTY + " on the message about member '" + memberId
                            + "': the broker must authenticate clients and set populateJMSXUserID",
                    null);
            return false;
        }
        Registration registration = credentials.registration(memberId).orElse(null);
        if (registration == null) {
            rejections.reject(topic, "unregistered", "member '" + memberId + "' was never registered", sender);
            return false;
        }
        if (!registration.principal().equals(sender)) {
            rejections.reject(
                    topic, "not-owner", "'" + sender + "' does not speak for member '" + memberId + "'", sender);
            return false;
        }
        if (!registration.clusterId().equals(subject.clusterId())) {
            rejections.reject(
                    topic,
                    "wrong-cluster",
                    "member '" + memberId + "' is registered in cluster '" + registration.clusterId() + "', not '"
                            + subject.clusterId() + "'",
                    sender);
            return false;
        }
        return true;
    }

    private static String sender(Message message) {
        try {
            String user = message.getStringProperty(SENDER_PROPERTY);
            return user == null || user.isBlank() ? null : user;
        } catch (JMSException e) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 197) + "...";
    }
}
