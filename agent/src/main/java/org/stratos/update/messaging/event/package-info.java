/**
 * The message contracts, shared by the manager and the member agent (so this package and its subpackages
 * use nothing but Jackson annotations). As in Stratos, there is one topic per event class, named after the
 * class's package below {@code event} and its simple name: {@code instance.notifier.SoftwareUpdateEvent},
 * {@code instance.status.InstanceUpdatedEvent}, {@code topology.MemberActivatedEvent}. Payloads are the
 * records as plain JSON, camelCase, nulls left out, no envelope. See {@link org.stratos.update.messaging.event.EventTopics}.
 */
package org.stratos.update.messaging.event;
