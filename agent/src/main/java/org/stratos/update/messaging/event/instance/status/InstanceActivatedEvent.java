package org.stratos.update.messaging.event.instance.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Agent to manager: the member is ready to serve (Stratos: published once its ports were open). For a cluster
 * the manager knows, an unknown member joins the topology; {@code version} is the software it runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceActivatedEvent(
        String applicationId,
        String serviceName,
        String clusterId,
        String clusterInstanceId,
        String networkPartitionId,
        String partitionId,
        String memberId,
        String version,
        String address) {}
