/**
 * ActiveMQ plumbing of the manager: the embedded broker of the default run, the connection factory, the publisher
 * (transacted sessions that commit with the database transaction), the door every received event passes
 * ({@code EventReader}) and the listener for the members' {@code instance.status.*} start and activation events (the
 * agents' update reports are read by the update capability's {@code AgentReportListener} through the same door).
 * Agent replies are read from ActiveMQ virtual-topic queues ({@code Consumer.<name>.instance.status.<Event>}), so
 * they wait in the broker while the manager restarts and are shared out between manager nodes. See
 * {@code docs/architecture.md} for the delivery guarantees.
 */
package org.stratos.update.messaging;
