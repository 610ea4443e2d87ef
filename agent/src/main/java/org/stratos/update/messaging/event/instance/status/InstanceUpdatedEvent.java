package org.stratos.update.messaging.event.instance.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Agent to manager: the update command succeeded (exit 0 or 2 for Puppet) and the health check, if any, passed
 * and kept passing for the requested time. {@code healthCheck} says what was checked ("none" when nothing was).
 * With {@code noop} it was a pre-flight: the no-op run succeeded and nothing changed. {@code resourcesChanged} and
 * {@code resourcesFailed} come from Puppet's last run summary when the agent could read one (null otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceUpdatedEvent(
        String updateId,
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        boolean rollback,
        Integer exitCode,
        long durationMillis,
        String healthCheck,
        boolean noop,
        Integer resourcesChanged,
        Integer resourcesFailed) {}
