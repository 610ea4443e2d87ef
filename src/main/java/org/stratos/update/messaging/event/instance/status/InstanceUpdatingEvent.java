package org.stratos.update.messaging.event.instance.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Agent to manager: the agent has accepted the command of {@code updateId} and is applying {@code version}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceUpdatingEvent(
        String updateId,
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String version,
        boolean rollback) {
}
