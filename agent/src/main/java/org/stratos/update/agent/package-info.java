/**
 * The member agent: the program on each VM member that applies software updates. It subscribes to the commands
 * addressed to its member ({@code instance.notifier.SoftwareUpdateEvent}, selected by the broker on the
 * {@code memberId} property), announces the member ({@code InstanceStartedEvent}, then {@code InstanceActivatedEvent}
 * once healthy), and for each command acknowledges it at once, obeys Puppet's own rules (its run lock, {@code --disable},
 * the command's deadline), writes the version to Puppet's fact file, runs the update command without a shell (by
 * default {@code puppet agent --test --detailed-exitcodes}; {@code --noop} for a pre-flight) within its time-out,
 * reads Puppet's last run summary, checks health and reports {@code InstanceUpdatedEvent} or
 * {@code InstanceUpdateFailedEvent} (with the kind of failure and Puppet's {@code Error:} lines). Commands are
 * idempotent: a repeat is answered from memory, never run twice. It depends on nothing but the JDK, the JMS API,
 * the ActiveMQ client, Jackson, SLF4J and the event contracts, so it ships as one small jar ({@link
 * org.stratos.update.agent.AgentMain}), and the manager's simulated fleet runs the same {@link
 * org.stratos.update.agent.MemberAgent} by the thousand on one shared connection. See {@code docs/agent.md}.
 */
package org.stratos.update.agent;
