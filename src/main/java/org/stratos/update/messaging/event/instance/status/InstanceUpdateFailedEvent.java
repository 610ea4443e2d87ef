package org.stratos.update.messaging.event.instance.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Agent to manager: the update failed. {@code exitCode} is the command's (null when it never ran or was killed
 * on time-out); {@code reason} says what failed in one line; {@code outputTail} is the end of the command's output.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceUpdateFailedEvent(
        String updateId,
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        boolean rollback,
        Integer exitCode,
        String reason,
        String outputTail,
        long durationMillis) {
}
