package org.stratos.update.messaging.event.instance.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Agent to manager: the agent has accepted the command of {@code updateId} and is applying {@code version} (or, with
 * {@code noop}, checking it in no-op mode). It is the agent's acknowledgement of a command: sent on receipt, before
 * any wait, and again for a repeat of a command that is still queued or running.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceUpdatingEvent(
        String updateId,
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        boolean rollback,
        boolean noop) {}
