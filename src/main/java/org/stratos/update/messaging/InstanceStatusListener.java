package org.stratos.update.messaging;

import jakarta.jms.Message;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.stereotype.Component;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.status.InstanceActivatedEvent;
import org.stratos.update.messaging.event.instance.status.InstanceStartedEvent;
import org.stratos.update.topology.InvalidTransitionException;
import org.stratos.update.topology.MemberJoin;
import org.stratos.update.topology.MemberRecordConflictException;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.topology.UnknownTopologyException;

/**
 * Members join: {@code InstanceStartedEvent} and {@code InstanceActivatedEvent} from agents, read from the manager's
 * virtual-topic queues. Only registered members join, announced by the principal they are registered to (see
 * {@link EventReader}). Unreadable, forged or unknown events, and reports that would rewrite an Active member's
 * version or address, are rejected (counted, logged, acknowledged); a database failure rolls the message back for
 * redelivery.
 */
@Component
class InstanceStatusListener {

    private static final String STARTED = EventTopics.topicOf(InstanceStartedEvent.class);
    private static final String ACTIVATED = EventTopics.topicOf(InstanceActivatedEvent.class);

    private final EventReader reader;
    private final EventRejections rejections;
    private final TopologyService topology;

    InstanceStatusListener(EventReader reader, EventRejections rejections, TopologyService topology) {
        this.reader = reader;
        this.rejections = rejections;
        this.topology = topology;
    }

    @JmsListener(
            destination = "Consumer.${stratos.broker.consumer-name}.instance.status.InstanceStartedEvent",
            containerFactory = "statusListenerFactory")
    void onStarted(Message message) {
        reader.read(message, STARTED, InstanceStartedEvent.class)
                .ifPresent(e -> join(
                        STARTED,
                        new MemberJoin(e.applicationId(), e.clusterId(), e.memberId(), e.version(), e.address()),
                        false));
    }

    @JmsListener(
            destination = "Consumer.${stratos.broker.consumer-name}.instance.status.InstanceActivatedEvent",
            containerFactory = "statusListenerFactory")
    void onActivated(Message message) {
        reader.read(message, ACTIVATED, InstanceActivatedEvent.class)
                .ifPresent(e -> join(
                        ACTIVATED,
                        new MemberJoin(e.applicationId(), e.clusterId(), e.memberId(), e.version(), e.address()),
                        true));
    }

    private void join(String topic, MemberJoin report, boolean activated) {
        try {
            topology.join(report, activated);
        } catch (UnknownTopologyException e) {
            rejections.reject(topic, "unknown", e.getMessage());
        } catch (InvalidTransitionException e) {
            rejections.reject(topic, "invalid-transition", e.getMessage());
        } catch (MemberRecordConflictException e) {
            rejections.reject(topic, "record-conflict", e.getMessage());
        }
    }
}
