package org.stratos.update.runtime;

import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.RuntimeKind;

/**
 * How container members are started and removed: the boundary between the update flows and Kubernetes (or the
 * simulated fleet). A started member reports that it is ready by joining the topology as Active; a start that fails
 * for good (image pull error, crash loop) is published as a {@link MemberStartFailed} event. Methods are called inside
 * the flow's transaction: implementations act only once it commits, or are idempotent. Technical faults are thrown
 * (the engine retries them); they are never reported as failed members.
 */
public interface ContainerRuntime {

    RuntimeKind kind();

    /** Starts a new member of {@code cluster} on {@code image}; answers its member id (it joins when ready). */
    String startMember(Cluster cluster, String image, String updateId);

    /** Whether the member is ready now and has not restarted since it became ready. */
    boolean isHealthy(Cluster cluster, String memberId);

    /** Removes the member gracefully (its termination grace period honoured). */
    void removeMember(Cluster cluster, String memberId);
}
