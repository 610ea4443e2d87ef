package org.stratos.update.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counts and logs incoming events that are refused (malformed JSON, missing fields, unknown application or cluster,
 * a reply for the wrong update or member). A refused event is acknowledged, never redelivered, and never stops a
 * listener. Metric: {@code stratos.events.rejected{topic, reason}}.
 */
@Component
public class EventRejections {

    private static final Logger log = LoggerFactory.getLogger(EventRejections.class);

    private final MeterRegistry meters;

    EventRejections(MeterRegistry meters) {
        this.meters = meters;
    }

    public void reject(String topic, String reason, String detail) {
        counter(topic, reason).increment();
        log.warn("Rejected event on {} ({}): {}", topic, reason, detail);
    }

    public double count(String topic, String reason) {
        return counter(topic, reason).count();
    }

    private Counter counter(String topic, String reason) {
        return Counter.builder("stratos.events.rejected")
                .description("incoming events refused by the manager")
                .tag("topic", topic).tag("reason", reason)
                .register(meters);
    }
}
