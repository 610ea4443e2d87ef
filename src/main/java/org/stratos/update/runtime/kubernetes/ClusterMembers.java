package org.stratos.update.runtime.kubernetes;

import java.util.List;
import java.util.Optional;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;

/** The topology as the pod watch sees it: kubernetes clusters and their members, and the moves it makes. */
interface ClusterMembers {

    /** The cluster, if it is registered and runs on Kubernetes. */
    Optional<Cluster> cluster(String clusterId);

    /** Every registered kubernetes cluster. */
    List<Cluster> clusters();

    Optional<Member> member(String memberId);

    List<Member> members(String clusterId);

    /** The pod's member joins (or advances): Starting while not ready, Active once ready. */
    void join(Cluster cluster, String memberId, String image, String address, boolean ready);

    /** One step in the member transition table. */
    void move(String memberId, MemberState to, String reason);
}
