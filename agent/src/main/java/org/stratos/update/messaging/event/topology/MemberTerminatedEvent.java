package org.stratos.update.messaging.event.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Manager to everyone: the member is now in state Terminated. {@code version} is the software it runs
 * (for Updating: the version being applied); {@code updateId} names the update that caused the change, if any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberTerminatedEvent(
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        String updateId,
        String reason) {}
