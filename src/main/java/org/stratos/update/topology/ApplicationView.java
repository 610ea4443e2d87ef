package org.stratos.update.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An application with its clusters and members, as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplicationView(
        String applicationId, String name, List<List<String>> startupOrders, List<ClusterView> clusters) {

    ApplicationView(Application app, List<ClusterView> clusters) {
        this(app.id(), app.name(), app.startupOrders(), clusters);
    }

    /**
     * The application as it serves: Terminated members (replaced containers, removed VMs) left out of the member
     * lists; {@code memberCounts} still counts them.
     */
    public ApplicationView withoutTerminatedMembers() {
        return new ApplicationView(
                applicationId,
                name,
                startupOrders,
                clusters.stream()
                        .map(c -> new ClusterView(
                                c.clusterId(),
                                c.alias(),
                                c.cartridgeType(),
                                c.runtime(),
                                c.version(),
                                c.imageId(),
                                c.state(),
                                c.startupStage(),
                                c.lockedByUpdate(),
                                c.memberCounts(),
                                c.versions(),
                                c.members().stream()
                                        .filter(m -> m.state() != MemberState.TERMINATED)
                                        .toList()))
                        .toList());
    }

    /**
     * A cluster: {@code version} for VM clusters, {@code imageId} for container clusters: the software all its Active
     * members run (the last they all ran, while they differ). When its members (not Terminated) run different
     * versions, {@code versions} lists each with its members' ids; absent otherwise.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterView(
            String clusterId,
            String alias,
            String cartridgeType,
            RuntimeKind runtime,
            String version,
            String imageId,
            ClusterState state,
            int startupStage,
            String lockedByUpdate,
            Map<MemberState, Integer> memberCounts,
            Map<String, List<String>> versions,
            List<MemberView> members) {

        static ClusterView of(Cluster c, List<Member> members) {
            Map<MemberState, Integer> counts = new EnumMap<>(MemberState.class);
            members.forEach(m -> counts.merge(m.state(), 1, Integer::sum));
            Map<String, List<String>> versions = new TreeMap<>();
            members.stream()
                    .filter(m -> m.state() != MemberState.TERMINATED && m.version() != null)
                    .forEach(m -> versions.computeIfAbsent(m.version(), v -> new ArrayList<>())
                            .add(m.id()));
            versions.values().forEach(ids -> ids.sort(null));
            return new ClusterView(
                    c.id(),
                    c.alias(),
                    c.cartridgeType(),
                    c.runtime(),
                    c.container() ? null : c.version(),
                    c.container() ? c.version() : null,
                    c.state(),
                    c.startupStage(),
                    c.lockedBy(),
                    counts,
                    versions.size() > 1 ? versions : null,
                    members.stream().map(MemberView::of).toList());
        }
    }

    /** A member: {@code version} is the software version, or the image id in a container cluster. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MemberView(String memberId, MemberState state, String version, String address, String stateSince) {

        public static MemberView of(Member m) {
            return new MemberView(
                    m.id(), m.state(), m.version(), m.address(), m.stateSince().toString());
        }
    }
}
