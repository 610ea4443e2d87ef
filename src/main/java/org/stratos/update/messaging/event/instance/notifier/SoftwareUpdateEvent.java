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
        String minHealthyTime) {
}
