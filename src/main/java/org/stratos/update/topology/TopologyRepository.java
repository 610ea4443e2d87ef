package org.stratos.update.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL on the topology tables. State changes are compare-and-set on the old state, safe across manager nodes. */
@Repository
class TopologyRepository {

    private static final TypeReference<List<List<String>>> ORDERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final ObjectMapper json;

    TopologyRepository(JdbcClient jdbc, JdbcTemplate batches, ObjectMapper json) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.json = json;
    }

    // ---- applications

    void insert(Application app) {
        jdbc.sql("insert into stratos_application (id, name, startup_orders, created_at) values (?, ?, ?, ?)")
                .params(app.id(), app.name(), write(app.startupOrders()), ts(app.createdAt()))
                .update();
    }

    Optional<Application> findApplication(String id) {
        return jdbc.sql("select * from stratos_application where id = ?")
                .param(id)
                .query(this::application)
                .optional();
    }

    List<Application> findApplications() {
        return jdbc.sql("select * from stratos_application order by id")
                .query(this::application)
                .list();
    }

    // ---- clusters

    void insert(Cluster c) {
        jdbc.sql("""
                insert into stratos_cluster (id, application_id, alias, cartridge_type, runtime, container, version,
                                             state, startup_stage, desired_members, locked_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        c.id(),
                        c.applicationId(),
                        c.alias(),
                        c.cartridgeType(),
                        c.runtime().id(),
                        c.container(),
                        c.version(),
                        c.state().name(),
                        c.startupStage(),
                        c.desiredMembers(),
                        c.lockedBy())
                .update();
    }

    Optional<Cluster> findCluster(String id) {
        return jdbc.sql("select * from stratos_cluster where id = ?")
                .param(id)
                .query(this::cluster)
                .optional();
    }

    List<Cluster> findClusters(String applicationId) {
        return jdbc.sql("select * from stratos_cluster where application_id = ? order by startup_stage, alias")
                .param(applicationId)
                .query(this::cluster)
                .list();
    }

    List<Cluster> findClustersByRuntime(RuntimeKind runtime) {
        return jdbc.sql("select * from stratos_cluster where runtime = ? order by id")
                .param(runtime.id())
                .query(this::cluster)
                .list();
    }

    boolean compareAndSetClusterState(String id, ClusterState from, ClusterState to) {
        return jdbc.sql("update stratos_cluster set state = ? where id = ? and state = ?")
                        .params(to.name(), id, from.name())
                        .update()
                == 1;
    }

    void updateClusterVersion(String id, String version) {
        jdbc.sql("update stratos_cluster set version = ? where id = ?")
                .params(version, id)
                .update();
    }

    /** Takes the cluster for {@code updateId} unless another update holds it; true when this one holds it now. */
    boolean lockCluster(String id, String updateId) {
        return jdbc.sql(
                                "update stratos_cluster set locked_by = ? where id = ? and (locked_by is null or locked_by = ?)")
                        .params(updateId, id, updateId)
                        .update()
                == 1;
    }

    void unlockCluster(String id, String updateId) {
        jdbc.sql("update stratos_cluster set locked_by = null where id = ? and locked_by = ?")
                .params(id, updateId)
                .update();
    }

    // ---- members

    void insert(Member m, Instant createdAt) {
        jdbc.sql("""
                insert into stratos_member (id, cluster_id, state, version, address, state_since, created_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        m.id(),
                        m.clusterId(),
                        m.state().name(),
                        m.version(),
                        m.address(),
                        ts(m.stateSince()),
                        ts(createdAt))
                .update();
    }

    Optional<Member> findMember(String id) {
        return jdbc.sql("select * from stratos_member where id = ?")
                .param(id)
                .query(this::member)
                .optional();
    }

    /** The members of {@code ids} that exist, in no particular order: one query. */
    List<Member> findMembersById(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from stratos_member where id in (:ids)")
                .param("ids", ids)
                .query(this::member)
                .list();
    }

    List<Member> findMembers(String clusterId) {
        return jdbc.sql("select * from stratos_member where cluster_id = ? order by created_at, id")
                .param(clusterId)
                .query(this::member)
                .list();
    }

    List<Member> findMembersOfApplication(String applicationId) {
        return jdbc.sql("""
                select m.* from stratos_member m join stratos_cluster c on c.id = m.cluster_id
                where c.application_id = ? order by m.cluster_id, m.created_at, m.id""").param(applicationId).query(this::member).list();
    }

    /** Moves the member from {@code from} to {@code to}; false when it was no longer in {@code from}. */
    boolean compareAndSetMemberState(
            String id, MemberState from, MemberState to, String version, String address, Instant at) {
        return jdbc.sql("""
                update stratos_member set state = ?, version = coalesce(?, version), address = coalesce(?, address),
                       state_since = ?
                where id = ? and state = ?""")
                        .params(to.name(), version, address, ts(at), id, from.name())
                        .update()
                == 1;
    }

    /**
     * {@link #compareAndSetMemberState} for many members to the same state, as one batch of statements (address
     * unchanged; {@code versions} one per member, null: unchanged): how many of them changed (the others were no longer
     * in their {@code from} state).
     */
    int compareAndSetMemberStates(List<Member> members, MemberState to, List<String> versions, Instant at) {
        List<Object[]> rows = new java.util.ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            rows.add(new Object[] {
                to.name(), versions.get(i), ts(at), m.id(), m.state().name()
            });
        }
        int[] counts = batches.batchUpdate(
                "update stratos_member set state = ?, version = coalesce(?, version), state_since = ?"
                        + " where id = ? and state = ?",
                rows);
        return java.util.Arrays.stream(counts)
                .map(c -> c == java.sql.Statement.SUCCESS_NO_INFO ? 1 : c)
                .sum();
    }

    /**
     * {@link #insertTransition} for each member (from its state in {@code members}, to the version of
     * {@code versions}, or its own where that is null), as one batch of statements.
     */
    void insertTransitions(
            List<Member> members,
            MemberState to,
            List<String> versions,
            List<String> reasons,
            Instant at,
            String updateId) {
        List<Object[]> rows = new java.util.ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            String version = versions.get(i) != null ? versions.get(i) : m.version();
            rows.add(new Object[] {
                m.id(), m.state().name(), to.name(), version, truncate(reasons.get(i)), ts(at), updateId
            });
        }
        batches.batchUpdate("""
                insert into stratos_member_transition (member_id, from_state, to_state, version, reason, at, update_id)
                values (?, ?, ?, ?, ?, ?, ?)""", rows);
    }

    void insertTransition(
            String memberId,
            MemberState from,
            MemberState to,
            String version,
            String reason,
            Instant at,
            String updateId) {
        jdbc.sql("""
                insert into stratos_member_transition (member_id, from_state, to_state, version, reason, at, update_id)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        memberId,
                        from == null ? null : from.name(),
                        to.name(),
                        version,
                        truncate(reason),
                        ts(at),
                        updateId)
                .update();
    }

    /** The state the member was in before it was last marked Updating (Active if it never was). */
    MemberState stateBeforeUpdating(String memberId) {
        return jdbc.sql("""
                        select from_state from stratos_member_transition where member_id = ? and to_state = 'UPDATING'
                        order by at desc, id desc""").param(memberId).query(String.class).stream()
                .findFirst()
                .map(MemberState::valueOf)
                .orElse(MemberState.ACTIVE);
    }

    List<MemberTransition> findTransitions(String memberId) {
        return jdbc.sql("select * from stratos_member_transition where member_id = ? order by at, id")
                .param(memberId)
                .query((rs, i) -> new MemberTransition(
                        rs.getString("member_id"),
                        rs.getString("from_state") == null ? null : MemberState.valueOf(rs.getString("from_state")),
                        MemberState.valueOf(rs.getString("to_state")),
                        rs.getString("version"),
                        rs.getString("reason"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("update_id")))
                .list();
    }

    // ---- mapping

    private Application application(ResultSet rs, int row) throws SQLException {
        return new Application(
                rs.getString("id"),
                rs.getString("name"),
                read(rs.getString("startup_orders")),
                rs.getTimestamp("created_at").toInstant());
    }

    private Cluster cluster(ResultSet rs, int row) throws SQLException {
        return new Cluster(
                rs.getString("id"),
                rs.getString("application_id"),
                rs.getString("alias"),
                rs.getString("cartridge_type"),
                RuntimeKind.of(rs.getString("runtime")),
                rs.getBoolean("container"),
                rs.getString("version"),
                ClusterState.valueOf(rs.getString("state")),
                rs.getInt("startup_stage"),
                rs.getInt("desired_members"),
                rs.getString("locked_by"));
    }

    private Member member(ResultSet rs, int row) throws SQLException {
        return new Member(
                rs.getString("id"),
                rs.getString("cluster_id"),
                MemberState.valueOf(rs.getString("state")),
                rs.getString("version"),
                rs.getString("address"),
                rs.getTimestamp("state_since").toInstant());
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
    }

    private String write(List<List<String>> orders) {
        try {
            return json.writeValueAsString(orders);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<List<String>> read(String text) {
        try {
            return json.readValue(text, ORDERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt startup_orders: " + text, e);
        }
    }
}
