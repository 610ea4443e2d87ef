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
    default String startMember(Cluster cluster, String image, String updateId) {
        return startMember(cluster, image, updateId, null);
    }

    /**
     * Starts a new member of {@code cluster} on {@code image} to take the place {@code place} (the member id the
     * update knows the place by; null: none) of update {@code updateId}; answers its member id (it joins when ready).
     * A runtime that can find a member it started for the same update, place and image in a step that never committed
     * (the manager died between starting it and recording it) adopts that member instead of starting another.
     */
    String startMember(Cluster cluster, String image, String updateId, String place);

    /**
     * After a restart of the manager: the member {@code memberId} was started for update {@code updateId} on
     * {@code image} and the update still waits for it to get ready. A runtime whose members can die with the manager
     * (the simulated one) starts it again under the same id; one whose members live on (Kubernetes) has nothing to do,
     * its watch finds the member again.
     */
    default void resume(Cluster cluster, String memberId, String image, String updateId) {}

    /** Whether the member is ready now and has not restarted since it became ready. */
    boolean isHealthy(Cluster cluster, String memberId);

    /** Removes the member gracefully (its termination grace period honoured). */
    void removeMember(Cluster cluster, String memberId);
}
