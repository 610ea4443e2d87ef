package org.stratos.update.messaging.event.topology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Manager to everyone: the cluster is now Patching (an incompatible update takes all its members down at once). {@code version} is the software
 * (version or image id) the cluster is being brought to, or runs now.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterPatchingEvent(
        String applicationId, String serviceName, String clusterId, String version, String updateId) {}
