package org.stratos.update.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counts and logs incoming events that are refused (too large, malformed JSON, broken input rules, a sender that does
 * not speak for the member, unknown application or cluster, a reply for the wrong update or member). A refused event
 * is acknowledged, never redelivered, and never stops a listener. Metric: {@code stratos.events.rejected{topic,
 * reason}}. What the broker door refuses is logged once per sender and reason (at WARN; the repeats at DEBUG), so a
 * client that floods the broker with forgeries fills the counter, not the log.
 */
@Component
public class EventRejections {

    private static final Logger log = LoggerFactory.getLogger(EventRejections.class);
    /** Distinct senders and reasons logged at WARN; beyond, rejections are only counted (and logged at DEBUG). */
    static final int LOGGED_SOURCES = 10_000;

    private final MeterRegistry meters;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    EventRejections(MeterRegistry meters) {
        this.meters = meters;
    }

    public void reject(String topic, String reason, String detail) {
        counter(topic, reason).increment();
        log.warn("Rejected event on {} ({}): {}", topic, reason, detail);
    }

    /** A rejection at the broker door: {@code source} is the broker user that sent it (null: none). */
    public void reject(String topic, String reason, String detail, String source) {
        counter(topic, reason).increment();
        String sender = source == null ? "an unauthenticated sender" : "'" + source + "'";
        String key = reason + "|" + source;
        if (logged.size() < LOGGED_SOURCES && logged.add(key)) {
            log.warn(
                    "Rejected event on {} ({}) from {}: {}; further rejections for {} from this sender are only "
                            + "counted (stratos.events.rejected)",
                    topic,
                    reason,
                    sender,
                    detail,
                    reason);
        } else {
            log.debug("Rejected event on {} ({}) from {}: {}", topic, reason, sender, detail);
        }
    }

    /**
     * Not a rejection: an event the broker delivered again (JMS {@code redelivered}) that finds itself handled
     * already — the acknowledgement of the delivery that handled it was lost (a crash, a broker restart), or the
     * listener failed after its transaction had committed. Changes nothing. Metric:
     * {@code stratos.events.redelivered{topic}}; logged at DEBUG.
     */
    public void redelivered(String topic, String detail) {
        redeliveries(topic).increment();
        log.debug("Event on {} delivered again by the broker, handled already: {}", topic, detail);
    }

    /**
     * Not a rejection: an agent's notice that it is applying a command, read after the report of the same run was
     * recorded. The two travel on separate queues, so the report may overtake the notice; there is nothing left to
     * record. Changes nothing. Metric: {@code stratos.events.overtaken{topic}}; logged at DEBUG.
     */
    public void overtaken(String topic, String detail) {
        overtakings(topic).increment();
        log.debug("Event on {} overtaken by the report of the same run, nothing to record: {}", topic, detail);
    }

    public double count(String topic, String reason) {
        return counter(topic, reason).count();
    }

    public double redeliveredCount(String topic) {
        return redeliveries(topic).count();
    }

    private Counter counter(String topic, String reason) {
        return Counter.builder("stratos.events.rejected")
                .description("incoming events refused by the manager")
                .tag("topic", topic)
                .tag("reason", reason)
                .register(meters);
    }

    public double overtakenCount(String topic) {
        return overtakings(topic).count();
    }

    private Counter overtakings(String topic) {
        return Counter.builder("stratos.events.overtaken")
                .description("agents' applying notices read after the report of the same run")
                .tag("topic", topic)
                .register(meters);
    }

    private Counter redeliveries(String topic) {
        return Counter.builder("stratos.events.redelivered")
                .description("incoming events the broker delivered again that the manager had handled already")
                .tag("topic", topic)
                .register(meters);
    }
}
