package org.stratos.update.runtime.kubernetes;

import java.util.List;
import java.util.Optional;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberJoin;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.RuntimeKind;
import org.stratos.update.topology.TopologyService;

/** {@link ClusterMembers} on the topology service: every move checked against the table and announced. */
class TopologyMembers implements ClusterMembers {

    private final TopologyService topology;

    TopologyMembers(TopologyService topology) {
        this.topology = topology;
    }

    @Override
    public Optional<Cluster> cluster(String clusterId) {
        try {
            return Optional.of(topology.cluster(clusterId)).filter(c -> c.runtime() == RuntimeKind.KUBERNETES);
        } catch (NotFoundException notRegistered) {
            return Optional.empty();
        }
    }

    @Override
    public List<Cluster> clusters() {
        return topology.clustersOfRuntime(RuntimeKind.KUBERNETES);
    }

    @Override
    public Optional<Member> member(String memberId) {
        return topology.memberIfPresent(memberId);
    }

    @Override
    public List<Member> members(String clusterId) {
        return topology.members(clusterId);
    }

    @Override
    public void join(Cluster cluster, String memberId, String image, String address, boolean ready) {
        topology.join(new MemberJoin(cluster.applicationId(), cluster.id(), memberId, image, address), ready);
    }

    @Override
    public void move(String memberId, MemberState to, String reason) {
        topology.changeMemberState(memberId, to, null, reason, null);
    }
}
