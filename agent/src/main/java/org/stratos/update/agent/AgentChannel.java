package org.stratos.update.agent;

import java.util.function.Consumer;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;

/**
 * The agent's line to the manager. Implementations must be safe to publish on from several threads, and must hand
 * the agent only commands addressed to its member (the broker filters, so a fleet of agents does not each read
 * every command).
 */
public interface AgentChannel extends AutoCloseable {

    /** Starts delivering this member's commands to {@code handler}; unreadable commands are logged and dropped. */
    void onCommand(Consumer<SoftwareUpdateEvent> handler) throws AgentException;

    /** Publishes an event on the topic of its class, {@code EventTopics.topicOf(event.getClass())}, as JSON. */
    void publish(Object event) throws AgentException;

    /** Stops delivering commands and releases what the channel opened; never closes a connection it was given. */
    @Override
    void close();
}
