package org.stratos.update.common;

import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * Publishes events on their Stratos topics. Inside a transaction the messages go out only when it commits (a
 * transacted JMS session synchronised with the database transaction), so nobody hears of a state that was rolled
 * back and no agent answers a command before the process that sent it is durably waiting for the answer.
 * A send that fails fails the call: the caller's transaction rolls back and the engine retries. While the manager
 * knows its external broker to be unreachable ({@link BrokerReachability}), nothing is sent and the call returns.
 * <p>
 * The capabilities that announce changes (topology, update) publish through this port; messaging implements it
 * ({@code JmsEventPublisher}), so they never depend on the messaging package, which depends on them.
 */
public interface EventPublisher {

    /** A {@code topology.*} or other broadcast event, on the topic of its class. */
    void publish(Object event);

    /** A command to one member: delivered by the broker only to the agent that selects on its member id. */
    void sendCommand(SoftwareUpdateEvent command);
}
