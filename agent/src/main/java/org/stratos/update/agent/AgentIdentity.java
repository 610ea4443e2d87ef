package org.stratos.update.agent;

import java.util.Objects;

/**
 * Who the member is, in Stratos's terms. Every status event the agent publishes carries these fields, so the
 * manager can place a member it has never seen (one that booted after the topology was registered).
 *
 * @param address the member's address as other members reach it; may be null
 */
public record AgentIdentity(
        String applicationId,
        String serviceName,
        String clusterId,
        String memberId,
        String address,
        String clusterInstanceId,
        String networkPartitionId,
        String partitionId) {

    public AgentIdentity {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(memberId, "memberId");
    }
}
