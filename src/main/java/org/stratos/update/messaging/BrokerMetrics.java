package org.stratos.update.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.stratos.update.messaging.event.EventTopics;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * Deliveries of the embedded broker on the command topic ({@code stratos.broker.dispatched} and
 * {@code stratos.broker.enqueued}): with one delivery per command the selector keeps commands from being broadcast
 * to every agent. Absent with an external broker (read its own statistics there).
 */
@Component
class BrokerMetrics implements MeterBinder {

    private static final ActiveMQTopic COMMANDS = new ActiveMQTopic(EventTopics.topicOf(SoftwareUpdateEvent.class));

    private final ObjectProvider<BrokerService> broker;

    BrokerMetrics(ObjectProvider<BrokerService> broker) {
        this.broker = broker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        BrokerService service = broker.getIfAvailable();
        if (service == null) {
            return;
        }
        Gauge.builder("stratos.broker.dispatched", service, b -> count(b, true))
                .description("messages the embedded broker delivered to consumers of the command topic")
                .tag("destination", COMMANDS.getPhysicalName())
                .register(registry);
        Gauge.builder("stratos.broker.enqueued", service, b -> count(b, false))
                .description("messages published on the command topic")
                .tag("destination", COMMANDS.getPhysicalName())
                .register(registry);
    }

    private static double count(BrokerService b, boolean dispatched) {
        try {
            Destination d = b.getRegionBroker().getDestinationMap().get(COMMANDS);
            if (d == null) {
                return 0;
            }
            return dispatched
                    ? d.getDestinationStatistics().getDispatched().getCount()
                    : d.getDestinationStatistics().getEnqueues().getCount();
        } catch (Exception notRunning) {
            return 0;
        }
    }
}
