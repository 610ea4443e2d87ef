package org.stratos.update.update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL on the update tables. One statement per batch where the flows touch many members. */
@Repository
class UpdateRepository {

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
                .params(u.id(), u.applicationId(), u.state().name(), u.request(), name(u.requestedAction()), u.message(),
                        u.createdBy(), ts(u.createdAt()), ts(u.startedAt()), ts(u.endedAt()))
                .update();
    }

    Optional<UpdateRecord> find(String id) {
        return jdbc.sql("select * from stratos_update where id = ?").param(id).query(this::update).optional();
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
        return jdbc.sql("update stratos_update set state = :to, requested_action = :action where id = :id and state in (:from)")
                .param("to", to.name()).param("action", name(action)).param("id", id)
                .param("from", from.stream().map(Enum::name).toList()).update() == 1;
    }


    /** Updates that recorded no end, oldest first. */
    List<UpdateRecord> findUnfinished() {
        return jdbc.sql("select * from stratos_update where ended_at is null order by created_at")
                .query(this::update).list();
    }

    /** The update has ended: nothing an operator asked for is pending any more (the message says what came of it). */
    void end(String id, UpdateState state, String message, Instant at) {
        jdbc.sql("update stratos_update set state = ?, requested_action = null, message = coalesce(?, message), "
                        + "ended_at = ? where id = ?")
                .params(state.name(), message, ts(at), id).update();
    }

    // ---- clusters

    void insert(ClusterRecord c) {
        jdbc.sql("""
                insert into stratos_update_cluster (update_id, cluster_id, position, state, from_version, to_version,
                    members, batch_size, failure_budget, min_healthy, current_batch, approved_batch, message,
                    started_at, ended_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(c.updateId(), c.clusterId(), c.position(), c.state().name(), c.fromVersion(), c.toVersion(),
                        c.members(), c.batchSize(), c.failureBudget(), c.minHealthy(), c.currentBatch(),
                        c.approvedBatch(), c.message(),
                        ts(c.startedAt()), ts(c.endedAt()))
                .update();
    }

    List<ClusterRecord> clusters(String updateId) {
        return jdbc.sql("select * from stratos_update_cluster where update_id = ? order by position")
                .param(updateId).query(this::cluster).list();
    }

    Optional<ClusterRecord> cluster(String updateId, String clusterId) {
        return jdbc.sql("select * from stratos_update_cluster where update_id = ? and cluster_id = ?")
                .params(updateId, clusterId).query(this::cluster).optional();
    }

    void startCluster(String updateId, String clusterId, int members, int batchSize, int budget, int minHealthy,
                      Instant at) {
        jdbc.sql("""
                update stratos_update_cluster set state = 'RUNNING', members = ?, batch_size = ?, failure_budget = ?,
                       min_healthy = ?, started_at = coalesce(started_at, ?)
                where update_id = ? and cluster_id = ?""")
                .params(members, batchSize, budget, minHealthy, ts(at), updateId, clusterId).update();
    }

    void setClusterState(String updateId, String clusterId, ClusterOutcome state, String message, Instant endedAt) {
        jdbc.sql("""
                update stratos_update_cluster set state = ?, message = coalesce(?, message),
                       ended_at = coalesce(?, ended_at)
                where update_id = ? and cluster_id = ?""")
                .params(state.name(), message, ts(endedAt), updateId, clusterId).update();
    }

    void setApprovedBatch(String updateId, String clusterId, int batch) {
        jdbc.sql("update stratos_update_cluster set approved_batch = ? where update_id = ? and cluster_id = ?")
                .params(batch, updateId, clusterId).update();
    }

    void setCurrentBatch(String updateId, String clusterId, int batch) {
        jdbc.sql("update stratos_update_cluster set current_batch = ? where update_id = ? and cluster_id = ?")
                .params(batch, updateId, clusterId).update();
    }

    // ---- members

    /** One batch of inserts for all members of a batch (not a round trip per member). */
    void insertMembers(String updateId, String clusterId, int batch, List<String> memberIds, List<String> fromVersions,
                       String toVersion) {
        List<Object[]> rows = new java.util.ArrayList<>(memberIds.size());
        for (int i = 0; i < memberIds.size(); i++) {
            rows.add(new Object[] {updateId, memberIds.get(i), clusterId, batch, fromVersions.get(i), toVersion,
                    memberIds.get(i)});
        }
        batches.batchUpdate("""
                insert into stratos_update_member (update_id, member_id, cluster_id, batch_number, state,
                                                   from_version, to_version, current_member_id)
                values (?, ?, ?, ?, 'PENDING', ?, ?, ?)""", rows);
    }

    Optional<MemberRecord> member(String updateId, String memberId) {
        return jdbc.sql("select * from stratos_update_member where update_id = ? and member_id = ?")
                .params(updateId, memberId).query(this::member).optional();
    }

    /** The record whose place a member (by its current id) holds, in an update that is not over. */
    Optional<MemberRecord> memberByCurrentId(String updateId, String currentMemberId) {
        // two indexed look-ups rather than one "or", which scanned every member of the update (one scan per report)
        Optional<MemberRecord> holder = jdbc.sql("""
                        select * from stratos_update_member where current_member_id = ? and update_id = ?""")
                .params(currentMemberId, updateId).query(this::member).optional();
        return holder.isPresent() ? holder : member(updateId, currentMemberId);
    }


    List<MemberRecord> members(String updateId) {
        return jdbc.sql("select * from stratos_update_member where update_id = ? order by cluster_id, batch_number, member_id")
                .param(updateId).query(this::member).list();
    }

    List<MemberRecord> members(String updateId, String clusterId) {
        return jdbc.sql("""
                select * from stratos_update_member where update_id = ? and cluster_id = ?
                order by batch_number, member_id""")
                .params(updateId, clusterId).query(this::member).list();
    }

    List<MemberRecord> members(String updateId, Collection<String> memberIds) {
        if (memberIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from stratos_update_member where update_id = :u and member_id in (:ids) order by member_id")
                .param("u", updateId).param("ids", memberIds).query(this::member).list();
    }

    List<MemberRecord> batch(String updateId, String clusterId, int batch) {
        return jdbc.sql("""
                select * from stratos_update_member where update_id = ? and cluster_id = ? and batch_number = ?
                order by member_id""")
                .params(updateId, clusterId, batch).query(this::member).list();
    }

    int countInState(String updateId, String clusterId, List<MemberProgress> states) {
        return jdbc.sql("""
                select count(*) from stratos_update_member
                where update_id = :u and cluster_id = :c and state in (:states)""")
                .param("u", updateId).param("c", clusterId)
                .param("states", states.stream().map(Enum::name).toList())
                .query(Integer.class).single();
    }

    void startMember(String updateId, String memberId, MemberProgress state, Instant at) {
        String column = state == MemberProgress.ROLLING_BACK ? "rollback_started_at" : "started_at";
        jdbc.sql("update stratos_update_member set state = ?, message = null, " + column + " = ? "
                        + "where update_id = ? and member_id = ?")
                .params(state.name(), ts(at), updateId, memberId).update();
    }

    void finishMember(String updateId, String memberId, MemberProgress state, Integer exitCode, String message,
                      String outputTail, Instant at) {
        boolean rollback = state == MemberProgress.ROLLED_BACK || state == MemberProgress.ROLLBACK_FAILED;
        String column = rollback ? "rollback_ended_at" : "ended_at";
        jdbc.sql("update stratos_update_member set state = ?, exit_code = coalesce(?, exit_code), message = ?, "
                        + "output_tail = coalesce(?, output_tail), " + column + " = ? where update_id = ? and member_id = ?")
                .params(state.name(), exitCode, truncate(message, 1000), truncate(outputTail, 4000), ts(at), updateId,
                        memberId)
                .update();
    }

    void setMessage(String updateId, String memberId, String message) {
        jdbc.sql("update stratos_update_member set message = ? where update_id = ? and member_id = ?")
                .params(truncate(message, 1000), updateId, memberId).update();
    }

    /** The member now holding the place; any replacement in progress is over. */
    void setCurrentMember(String updateId, String memberId, String currentMemberId) {
        jdbc.sql("""
                update stratos_update_member set current_member_id = ?, replacement_member_id = null
                where update_id = ? and member_id = ?""")
                .params(currentMemberId, updateId, memberId).update();
    }

    void setReplacement(String updateId, String memberId, String replacementMemberId) {
        jdbc.sql("update stratos_update_member set replacement_member_id = ? where update_id = ? and member_id = ?")
                .params(replacementMemberId, updateId, memberId).update();
    }

    // ---- members on VMs, a batch at a time (batchUpdate)

    /**
     * The batch's members are being updated by their agents: each record goes to {@code state} with no report yet,
     * and the batch waits for {@code memberIds.size()} reports until {@code deadline}. Safe to repeat.
     */
    void startAgentBatch(String batchId, String updateId, List<String> memberIds, MemberProgress state, Instant at,
                         Instant deadline) {
        String column = state == MemberProgress.ROLLING_BACK ? "rollback_started_at" : "started_at";
        batches.batchUpdate("update stratos_update_member set state = ?, message = null, report_ok = null, "
                        + "agent_batch = ?, " + column + " = ? where update_id = ? and member_id = ?",
                memberIds.stream().map(m -> new Object[] {state.name(), batchId, ts(at), updateId, m}).toList());
        jdbc.sql("delete from stratos_agent_batch where id = ?").param(batchId).update();
        jdbc.sql("insert into stratos_agent_batch (id, update_id, outstanding, deadline) values (?, ?, ?, ?)")
                .params(batchId, updateId, memberIds.size(), ts(deadline)).update();
    }

    List<MemberRecord> agentBatchMembers(String batchId) {
        return jdbc.sql("select * from stratos_update_member where agent_batch = ? order by member_id")
                .param(batchId).query(this::member).list();
    }

    /**
     * Stores the agent's report on a member of {@code batchId}, unless one is stored already; true if this one was
     * (then the batch has one report fewer to wait for).
     */
    boolean recordAgentReport(String updateId, String memberId, String batchId, boolean ok, Integer exitCode,
                              String message, String outputTail) {
        return jdbc.sql("""
                        update stratos_update_member set report_ok = ?, exit_code = ?, message = ?, output_tail = ?
                        where update_id = ? and member_id = ? and agent_batch = ? and report_ok is null""")
                .params(ok, exitCode, truncate(message, 1000), truncate(outputTail, 4000), updateId, memberId, batchId)
                .update() == 1;
    }

    /** One report more has arrived for the batch: how many it still waits for (the row lock orders the reports). */
    int reportArrived(String batchId) {
        jdbc.sql("update stratos_agent_batch set outstanding = outstanding - 1 where id = ? and outstanding > 0")
                .param(batchId).update();
        return agentBatch(batchId).map(AgentBatch::outstanding).orElse(0);
    }

    Optional<AgentBatch> agentBatch(String batchId) {
        return jdbc.sql("select outstanding, deadline from stratos_agent_batch where id = ?").param(batchId)
                .query((rs, row) -> new AgentBatch(rs.getInt("outstanding"), rs.getTimestamp("deadline").toInstant()))
                .optional();
    }

    void endAgentBatch(String batchId) {
        jdbc.sql("delete from stratos_agent_batch where id = ?").param(batchId).update();
    }

    /** The update's process was cancelled: none of its batches waits any more. */
    void endAgentBatches(String updateId) {
        jdbc.sql("delete from stratos_agent_batch where update_id = ?").param(updateId).update();
    }

    /** The agent says it is applying the command: shown until its report is in (never over the report). */
    void setApplyingMessage(String updateId, String memberId, String message) {
        jdbc.sql("update stratos_update_member set message = ? where update_id = ? and member_id = ? and report_ok is null")
                .params(truncate(message, 1000), updateId, memberId).update();
    }

    /** Ends the update of these members, in one batch of statements. */
    void finishMembers(String updateId, List<MemberEnd> ends, Instant at) {
        for (boolean rollback : new boolean[] {false, true}) {
            List<Object[]> rows = ends.stream().filter(e -> e.rollback() == rollback)
                    .map(e -> new Object[] {e.state().name(), truncate(e.message(), 1000), ts(at), updateId, e.memberId()})
                    .toList();
            if (!rows.isEmpty()) {
                batches.batchUpdate("update stratos_update_member set state = ?, message = ?, "
                        + (rollback ? "rollback_ended_at" : "ended_at") + " = ? where update_id = ? and member_id = ?",
                        rows);
            }
        }
    }

    /** How a member's update (or its rollback) ended. */
    record MemberEnd(String memberId, MemberProgress state, String message) {
        boolean rollback() {
            return state == MemberProgress.ROLLED_BACK || state == MemberProgress.ROLLBACK_FAILED;
        }
    }

    /** A batch waiting for its agents: reports still to come, and the end of the wait. */
    record AgentBatch(int outstanding, Instant deadline) {
    }

    /** Records, in updates not over, that wait for this replacement member. */
    List<MemberRecord> membersByReplacement(String replacementMemberId) {
        return jdbc.sql("""
                select m.* from stratos_update_member m join stratos_update u on u.id = m.update_id
                where m.replacement_member_id = ? and u.ended_at is null""")
                .param(replacementMemberId).query(this::member).list();
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
                select update_id, member_id, cluster_id, batch_number, state, from_version, to_version,
                       current_member_id, replacement_member_id, exit_code, message, started_at, ended_at,
                       rollback_started_at, rollback_ended_at, agent_batch, report_ok, %s as output_tail
                from stratos_update_member where update_id in (:ids)
                order by update_id, cluster_id, batch_number, member_id"""
                        .formatted(withOutputTail ? "output_tail" : "cast(null as varchar(4000))"))
                .param("ids", updateIds).query(this::member).list();
    }

    /** A cluster of an update as the read model needs it. */
    record ClusterRow(ClusterRecord record, String alias, int liveMembers) {
    }

    // ---- mapping

    private UpdateRecord update(ResultSet rs, int row) throws SQLException {
        String action = rs.getString("requested_action");
        return new UpdateRecord(rs.getString("id"), rs.getString("application_id"),
                UpdateState.valueOf(rs.getString("state")), rs.getString("request"),
                action == null ? null : RequestedAction.valueOf(action), rs.getString("message"),
                rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "ended_at"));
    }

    private ClusterRecord cluster(ResultSet rs, int row) throws SQLException {
        return new ClusterRecord(rs.getString("update_id"), rs.getString("cluster_id"), rs.getInt("position"),
                ClusterOutcome.valueOf(rs.getString("state")), rs.getString("from_version"),
                rs.getString("to_version"), rs.getInt("members"), rs.getInt("batch_size"),
                rs.getInt("failure_budget"), rs.getInt("min_healthy"), rs.getInt("current_batch"), rs.getInt("approved_batch"),
                rs.getString("message"), instant(rs, "started_at"), instant(rs, "ended_at"));
    }

    private MemberRecord member(ResultSet rs, int row) throws SQLException {
        int exit = rs.getInt("exit_code");
        Integer exitCode = rs.wasNull() ? null : exit;
        return new MemberRecord(rs.getString("update_id"), rs.getString("member_id"), rs.getString("cluster_id"),
                rs.getInt("batch_number"), MemberProgress.valueOf(rs.getString("state")), rs.getString("from_version"),
                rs.getString("to_version"), rs.getString("current_member_id"), rs.getString("replacement_member_id"), exitCode,
                rs.getString("message"), rs.getString("output_tail"), instant(rs, "started_at"),
                instant(rs, "ended_at"), instant(rs, "rollback_started_at"), instant(rs, "rollback_ended_at"),
                rs.getString("agent_batch"), (Boolean) rs.getObject("report_ok"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
