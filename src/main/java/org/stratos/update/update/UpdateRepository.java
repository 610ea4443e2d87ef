package org.stratos.update.update;

import static org.stratos.update.update.MemberRows.instant;
import static org.stratos.update.update.MemberRows.truncate;
import static org.stratos.update.update.MemberRows.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Plain SQL on the update tables: updates, their clusters and members, and the read model. One statement per batch
 * where the flows touch many members. (The runs of VM batches: {@link AgentBatchRepository}.)
 */
@Repository
class UpdateRepository {

    /** The length of every message column of the update tables (V2): longer messages are cut to it, marked "...". */
    private static final int MESSAGE_COLUMN = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    UpdateRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    // ---- updates

    void insert(UpdateRecord u) {
        jdbc.sql("""
                insert into stratos_update (id, application_id, state, request, requested_action, message, created_by,
                                            created_at, started_at, ended_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        u.id(),
                        u.applicationId(),
                        u.state().name(),
                        u.request(),
                        name(u.requestedAction()),
                        truncate(u.message(), MESSAGE_COLUMN),
                        u.createdBy(),
                        ts(u.createdAt()),
                        ts(u.startedAt()),
                        ts(u.endedAt()))
                .update();
    }

    Optional<UpdateRecord> find(String id) {
        return jdbc.sql("select * from stratos_update where id = ?")
                .param(id)
                .query(this::update)
                .optional();
    }

    List<UpdateRecord> findAll(String applicationId, int limit) {
        String where = applicationId == null ? "" : " where application_id = :app";
        var spec = jdbc.sql("select * from stratos_update" + where + " order by created_at desc limit :limit")
                .param("limit", limit);
        if (applicationId != null) {
            spec = spec.param("app", applicationId);
        }
        return spec.query(this::update).list();
    }

    /** Moves the update from one of {@code from} to {@code to}; false when it was in none of them. */
    boolean compareAndSetState(String id, List<UpdateState> from, UpdateState to, RequestedAction action) {
        return jdbc.sql(
                                "update stratos_update set state = :to, requested_action = :action where id = :id and state in (:from)")
                        .param("to", to.name())
                        .param("action", name(action))
                        .param("id", id)
                        .param("from", from.stream().map(Enum::name).toList())
                        .update()
                == 1;
    }

    /** Updates that recorded no end, oldest first. */
    List<UpdateRecord> findUnfinished() {
        return jdbc.sql("select * from stratos_update where ended_at is null order by created_at")
                .query(this::update)
                .list();
    }

    /** The update has ended: nothing an operator asked for is pending any more (the message says what came of it). */
    void end(String id, UpdateState state, String message, Instant at) {
        jdbc.sql("update stratos_update set state = ?, requested_action = null, message = coalesce(?, message), "
                        + "ended_at = ? where id = ?")
                .params(state.name(), truncate(message, MESSAGE_COLUMN), ts(at), id)
                .update();
    }

    // ---- clusters

    void insert(ClusterRecord c) {
        jdbc.sql("""
                insert into stratos_update_cluster (update_id, cluster_id, position, state, from_version, to_version,
                    members, batch_size, failure_budget, min_healthy, current_batch, approved_batch, message,
                    started_at, ended_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        c.updateId(),
                        c.clusterId(),
                        c.position(),
                        c.state().name(),
                        c.fromVersion(),
                        c.toVersion(),
                        c.members(),
                        c.batchSize(),
                        c.failureBudget(),
                        c.minHealthy(),
                        c.currentBatch(),
                        c.approvedBatch(),
                        truncate(c.message(), MESSAGE_COLUMN),
                        ts(c.startedAt()),
                        ts(c.endedAt()))
                .update();
    }

    List<ClusterRecord> clusters(String updateId) {
        return jdbc.sql("select * from stratos_update_cluster where update_id = ? order by position")
                .param(updateId)
                .query(this::cluster)
                .list();
    }

    Optional<ClusterRecord> cluster(String updateId, String clusterId) {
        return jdbc.sql("select * from stratos_update_cluster where update_id = ? and cluster_id = ?")
                .params(updateId, clusterId)
                .query(this::cluster)
                .optional();
    }

    void startCluster(
            String updateId, String clusterId, int members, int batchSize, int budget, int minHealthy, Instant at) {
        jdbc.sql("""
                update stratos_update_cluster set state = 'RUNNING', members = ?, batch_size = ?, failure_budget = ?,
                       min_healthy = ?, started_at = coalesce(started_at, ?)
                where update_id = ? and cluster_id = ?""")
                .params(members, batchSize, budget, minHealthy, ts(at), updateId, clusterId)
                .update();
    }

    void setClusterState(String updateId, String clusterId, ClusterProgress state, String message, Instant endedAt) {
        jdbc.sql("""
                update stratos_update_cluster set state = ?, message = coalesce(?, message),
                       ended_at = coalesce(?, ended_at)
                where update_id = ? and cluster_id = ?""")
                // the message may list many members (a rollback's reason at N = 10,000 ran to 1,945 characters and
                // failed the step, retried until an incident): the column keeps 1,000
                .params(state.name(), truncate(message, MESSAGE_COLUMN), ts(endedAt), updateId, clusterId)
                .update();
    }

    void setApprovedBatch(String updateId, String clusterId, int batch) {
        jdbc.sql("update stratos_update_cluster set approved_batch = ? where update_id = ? and cluster_id = ?")
                .params(batch, updateId, clusterId)
                .update();
    }

    void setCurrentBatch(String updateId, String clusterId, int batch) {
        jdbc.sql("update stratos_update_cluster set current_batch = ? where update_id = ? and cluster_id = ?")
                .params(batch, updateId, clusterId)
                .update();
    }

    // ---- members

    /**
     * The members of batch {@code batch}, in one batch of statements (not a round trip per member). A member the
     * pre-flight checked already has a record (batch 0): it moves into the batch; the others get one.
     */
    void insertMembers(
            String updateId,
            String clusterId,
            int batch,
            List<String> memberIds,
            List<String> fromVersions,
            String toVersion) {
        java.util.Set<String> checked = batch == 0 || memberIds.isEmpty()
                ? java.util.Set.of()
                : new java.util.HashSet<>(jdbc.sql("""
                        select member_id from stratos_update_member
                        where update_id = :u and batch_number = 0 and member_id in (:ids)""")
                        .param("u", updateId)
                        .param("ids", memberIds)
                        .query(String.class)
                        .list());
        List<Object[]> inserts = new java.util.ArrayList<>(memberIds.size());
        List<Object[]> moves = new java.util.ArrayList<>();
        for (int i = 0; i < memberIds.size(); i++) {
            String id = memberIds.get(i);
            if (checked.contains(id)) {
                moves.add(new Object[] {batch, fromVersions.get(i), updateId, id});
            } else {
                inserts.add(new Object[] {updateId, id, clusterId, batch, fromVersions.get(i), toVersion, id});
            }
        }
        if (!moves.isEmpty()) {
            batches.batchUpdate("""
                    update stratos_update_member set batch_number = ?, state = 'PENDING', from_version = ?
                    where update_id = ? and member_id = ? and batch_number = 0""", moves);
        }
        if (!inserts.isEmpty()) {
            batches.batchUpdate("""
                    insert into stratos_update_member (update_id, member_id, cluster_id, batch_number, state,
                                                       from_version, to_version, current_member_id)
                    values (?, ?, ?, ?, 'PENDING', ?, ?, ?)""", inserts);
        }
    }

    Optional<MemberRecord> member(String updateId, String memberId) {
        return jdbc.sql("select * from stratos_update_member where update_id = ? and member_id = ?")
                .params(updateId, memberId)
                .query(MemberRows::member)
                .optional();
    }

    /** The record whose place a member (by its current id) holds, in an update that is not over. */
    Optional<MemberRecord> memberByCurrentId(String updateId, String currentMemberId) {
        // A member that holds its own place (every VM member) is its own record, read by the primary key. Only a member
        // that took another's place (a replaced container), or one whose place another took, needs the look-up by the
        // current id, which reads the member's records of every update it ever took part in and picks this update's:
        // that look-up names no update_id so that PostgreSQL uses ix_update_member_current (V6, MemberLookupPlanIT),
        // and it grew with the member's history (11% of a warm manager's CPU after 41 updates, docs/benchmarks.md).
        // Two indexed look-ups rather than one "or", which scanned every member of the update (one scan per report).
        Optional<MemberRecord> own = member(updateId, currentMemberId);
        if (own.isPresent() && currentMemberId.equals(own.get().currentMemberId())) {
            return own;
        }
        Optional<MemberRecord> holder = jdbc
                .sql("select * from stratos_update_member where current_member_id = ?")
                .param(currentMemberId)
                .query(MemberRows::member)
                .stream()
                .filter(m -> m.updateId().equals(updateId))
                .findFirst();
        return holder.isPresent() ? holder : own;
    }

    List<MemberRecord> members(String updateId) {
        return jdbc.sql(
                        "select * from stratos_update_member where update_id = ? order by cluster_id, batch_number, member_id")
                .param(updateId)
                .query(MemberRows::member)
                .list();
    }

    List<MemberRecord> members(String updateId, String clusterId) {
        return jdbc.sql("""
                select * from stratos_update_member where update_id = ? and cluster_id = ?
                order by batch_number, member_id""")
                .params(updateId, clusterId)
                .query(MemberRows::member)
                .list();
    }

    List<MemberRecord> members(String updateId, Collection<String> memberIds) {
        if (memberIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(
                        "select * from stratos_update_member where update_id = :u and member_id in (:ids) order by member_id")
                .param("u", updateId)
                .param("ids", memberIds)
                .query(MemberRows::member)
                .list();
    }

    List<MemberRecord> batch(String updateId, String clusterId, int batch) {
        return jdbc.sql("""
                select * from stratos_update_member where update_id = ? and cluster_id = ? and batch_number = ?
                order by member_id""")
                .params(updateId, clusterId, batch)
                .query(MemberRows::member)
                .list();
    }

    int countInState(String updateId, String clusterId, List<MemberProgress> states) {
        return jdbc.sql("""
                select count(*) from stratos_update_member
                where update_id = :u and cluster_id = :c and state in (:states)""")
                .param("u", updateId)
                .param("c", clusterId)
                .param("states", states.stream().map(Enum::name).toList())
                .query(Integer.class)
                .single();
    }

    /** A container member's run starts: the message of that run is cleared (the other runs' results stay). */
    void startMember(String updateId, String memberId, MemberProgress state, Instant at) {
        RunPhase phase = RunPhase.of(state);
        jdbc.sql("update stratos_update_member set state = ?, " + phase.column("message") + " = null, "
                        + (phase.rollback() ? "rollback_started_at" : "started_at") + " = ? "
                        + "where update_id = ? and member_id = ?")
                .params(state.name(), ts(at), updateId, memberId)
                .update();
    }

    /** Ends a member's update or (rollback states) its rollback, with that run's exit code, message and output. */
    void finishMember(
            String updateId,
            String memberId,
            MemberProgress state,
            Integer exitCode,
            String message,
            String outputTail,
            Instant at) {
        RunPhase phase = RunPhase.of(state);
        jdbc.sql("update stratos_update_member set state = ?, "
                        + phase.column("exit_code") + " = coalesce(?, " + phase.column("exit_code") + "), "
                        + phase.column("message") + " = ?, "
                        + phase.column("output_tail") + " = coalesce(?, " + phase.column("output_tail") + "), "
                        + (phase.rollback() ? "rollback_ended_at" : "ended_at") + " = ? "
                        + "where update_id = ? and member_id = ?")
                .params(
                        state.name(),
                        exitCode,
                        truncate(message, MESSAGE_COLUMN),
                        truncate(outputTail, 4000),
                        ts(at),
                        updateId,
                        memberId)
                .update();
    }

    /** The message of {@code phase}'s run on the member (its progress, shown by the API). */
    void setMessage(String updateId, String memberId, RunPhase phase, String message) {
        jdbc.sql("update stratos_update_member set " + phase.column("message")
                        + " = ? where update_id = ? and member_id = ?")
                .params(truncate(message, MESSAGE_COLUMN), updateId, memberId)
                .update();
    }

    /** The member now holding the place; any replacement in progress is over. */
    void setCurrentMember(String updateId, String memberId, String currentMemberId) {
        jdbc.sql("""
                update stratos_update_member set current_member_id = ?, replacement_member_id = null
                where update_id = ? and member_id = ?""").params(currentMemberId, updateId, memberId).update();
    }

    void setReplacement(String updateId, String memberId, String replacementMemberId) {
        jdbc.sql("update stratos_update_member set replacement_member_id = ? where update_id = ? and member_id = ?")
                .params(replacementMemberId, updateId, memberId)
                .update();
    }

    /** Records, in updates not over, that wait for this replacement member. */
    List<MemberRecord> membersByReplacement(String replacementMemberId) {
        return jdbc.sql("""
                select m.* from stratos_update_member m join stratos_update u on u.id = m.update_id
                where m.replacement_member_id = ? and u.ended_at is null""")
                .param(replacementMemberId)
                .query(MemberRows::member)
                .list();
    }

    // ---- what the updates know of a member (for a Suspended member whose agent comes back)

    /** Whether an update that is not over is running a command on the member now. */
    boolean inProgress(String memberId) {
        return jdbc.sql("""
                select count(*) from stratos_update_member m join stratos_update u on u.id = m.update_id
                where m.current_member_id = ? and u.ended_at is null and m.state in ('UPDATING', 'ROLLING_BACK')""").param(memberId).query(Integer.class).single() > 0;
    }

    /** The versions the member's latest update moved it from and to (empty when no update touched it). */
    List<String> lastUpdateVersions(String memberId) {
        return jdbc
                .sql("""
                select m.from_version, m.to_version from stratos_update_member m
                join stratos_update u on u.id = m.update_id
                where m.current_member_id = ? order by u.created_at desc""")
                .param(memberId)
                .query((rs, i) -> java.util.Arrays.asList(rs.getString("from_version"), rs.getString("to_version")))
                .stream()
                .findFirst()
                .orElse(List.of());
    }

    // ---- read model: one statement per table for any number of updates

    /** The clusters of these updates, each with its alias and how many live (not Terminated) members it has now. */
    List<ClusterRow> clusterRows(Collection<String> updateIds) {
        if (updateIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select uc.*, c.alias,
                       (select count(*) from stratos_member m
                        where m.cluster_id = uc.cluster_id and m.state <> 'TERMINATED') as live_members
                from stratos_update_cluster uc join stratos_cluster c on c.id = uc.cluster_id
                where uc.update_id in (:ids) order by uc.update_id, uc.position""")
                .param("ids", updateIds)
                .query((rs, i) -> new ClusterRow(cluster(rs, i), rs.getString("alias"), rs.getInt("live_members")))
                .list();
    }

    /** The member records of these updates; the output tail only when asked for (it is the bulk of a row). */
    List<MemberRecord> members(Collection<String> updateIds, boolean withOutputTail) {
        if (updateIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select %s from stratos_update_member where update_id in (:ids)
                order by update_id, cluster_id, batch_number, member_id""".formatted(withOutputTail ? "*" : MemberRows.COLUMNS_WITHOUT_OUTPUT))
                .param("ids", updateIds)
                .query(MemberRows::member)
                .list();
    }

    /** A cluster of an update as the read model needs it. */
    record ClusterRow(ClusterRecord record, String alias, int liveMembers) {}

    // ---- mapping

    private UpdateRecord update(ResultSet rs, int row) throws SQLException {
        String action = rs.getString("requested_action");
        return new UpdateRecord(
                rs.getString("id"),
                rs.getString("application_id"),
                UpdateState.valueOf(rs.getString("state")),
                rs.getString("request"),
                action == null ? null : RequestedAction.valueOf(action),
                rs.getString("message"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "ended_at"));
    }

    private ClusterRecord cluster(ResultSet rs, int row) throws SQLException {
        return new ClusterRecord(
                rs.getString("update_id"),
                rs.getString("cluster_id"),
                rs.getInt("position"),
                ClusterProgress.valueOf(rs.getString("state")),
                rs.getString("from_version"),
                rs.getString("to_version"),
                rs.getInt("members"),
                rs.getInt("batch_size"),
                rs.getInt("failure_budget"),
                rs.getInt("min_healthy"),
                rs.getInt("current_batch"),
                rs.getInt("approved_batch"),
                rs.getString("message"),
                instant(rs, "started_at"),
                instant(rs, "ended_at"));
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }
}
