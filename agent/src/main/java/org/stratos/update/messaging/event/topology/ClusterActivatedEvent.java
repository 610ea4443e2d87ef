package org.stratos.update.messaging.event.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Manager to everyone: the cluster is now Activated. {@code version} is the software
 * (version or image id) the cluster is being brought to, or runs now.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterActivatedEvent(
        String applicationId, String serviceName, String clusterId, String version, String updateId) {}
