package org.stratos.update.messaging.event.instance.notifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Manager to agent: apply {@code version} to member {@code memberId} (or go back to it, when {@code rollback}).
 * Published on {@code instance.notifier.SoftwareUpdateEvent} with the JMS property {@code memberId}, so that the
 * broker delivers it only to that member's agent. Idempotent: the agent answers a repeated command for the same
 * {@code updateId} and {@code rollback} with its earlier result instead of running it again.
 *
 * @param healthTimeout  ISO-8601 duration the agent may wait for its health check to pass (optional)
 * @param minHealthyTime ISO-8601 duration the health check must keep passing before success is reported (optional)
 * @param updateTimeout  ISO-8601 duration after which the agent stops the update command (its whole process tree)
 *                       and reports a time-out (optional; the agent's own {@code update.timeout} bounds it too)
 * @param deadline       ISO-8601 instant (UTC) by which the manager needs the report: the agent starts no run past it
 *                       and ends waits (run lock, health check) so that it can report before it (optional)
 * @param noop           a pre-flight: the agent runs the update command in no-op mode (Puppet {@code --noop}); nothing
 *                       changes on the member and its version stays as it was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SoftwareUpdateEvent(
        String updateId,
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        String previousVersion,
        boolean rollback,
        String healthTimeout,
        String minHealthyTime,
        String updateTimeout,
        String deadline,
        boolean noop) {}
