package org.stratos.update.messaging.event.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Manager to everyone: the cluster is now Inactive: it has members, but none of them is Active (for example every
 * member failed an all-at-once update and could not be rolled back). {@code version} is the software the cluster last
 * ran as a whole; {@code reason} says why it is Inactive.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterInactivatedEvent(
        String applicationId, String serviceName, String clusterId, String version, String updateId, String reason) {}
