package org.stratos.update.runtime.kubernetes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.ClusterState;
import org.stratos.update.topology.InvalidTransitionException;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.RuntimeKind;

/** The topology in memory, for the watch's tests: joins walk the table as TopologyService does; moves are checked. */
class InMemoryMembers implements ClusterMembers {

    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final List<String> transitions = Collections.synchronizedList(new ArrayList<>());

    Cluster register(String applicationId, String alias, String image) {
        Cluster c = new Cluster(
                Cluster.idOf(applicationId, alias, "kubernetes"),
                applicationId,
                alias,
                "kubernetes",
                RuntimeKind.KUBERNETES,
                true,
                image,
                ClusterState.ACTIVE,
                0,
                0,
                null);
        clusters.put(c.id(), c);
        return c;
    }

    /** A member the topology knew before (as after a restart of the manager). */
    void known(Cluster cluster, String memberId, MemberState state) {
        members.put(memberId, new Member(memberId, cluster.id(), state, cluster.version(), null, Instant.now()));
    }

    MemberState state(String memberId) {
        Member m = members.get(memberId);
        return m == null ? null : m.state();
    }

    /** Every change so far, as {@code memberId: From -> To}. */
    List<String> transitions() {
        synchronized (transitions) {
            return List.copyOf(transitions);
        }
    }

    @Override
    public Optional<Cluster> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    @Override
    public List<Cluster> clusters() {
        return List.copyOf(clusters.values());
    }

    @Override
    public Optional<Member> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    @Override
    public List<Member> members(String clusterId) {
        return members.values().stream()
                .filter(m -> m.clusterId().equals(clusterId))
                .toList();
    }

    @Override
    public synchronized void join(Cluster cluster, String memberId, String image, String address, boolean ready) {
        MemberState target = ready ? MemberState.ACTIVE : MemberState.STARTING;
        Member m = members.get(memberId);
        if (m == null) {
            m = new Member(memberId, cluster.id(), MemberState.CREATED, image, address, Instant.now());
            members.put(memberId, m);
            transitions.add(memberId + ": - -> Created");
        }
        List<MemberState> path =
                List.of(MemberState.CREATED, MemberState.INITIALIZED, MemberState.STARTING, MemberState.ACTIVE);
        if (!path.contains(m.state())) {
            return;
        }
        for (int i = path.indexOf(m.state()); i < path.indexOf(target); i++) {
            move(memberId, path.get(i + 1), "joined", image);
        }
    }

    @Override
    public void move(String memberId, MemberState to, String reason) {
        move(memberId, to, reason, null);
    }

    private synchronized void move(String memberId, MemberState to, String reason, String version) {
        Member m = members.get(memberId);
        if (!m.state().canMoveTo(to)) {
            throw new InvalidTransitionException("member", memberId, m.state().toString(), to.toString());
        }
        members.put(
                memberId,
                new Member(
                        memberId,
                        m.clusterId(),
                        to,
                        version == null ? m.version() : version,
                        m.address(),
                        Instant.now()));
        transitions.add(memberId + ": " + m.state() + " -> " + to);
    }
}
