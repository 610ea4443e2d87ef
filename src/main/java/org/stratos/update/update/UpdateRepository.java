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

    void end(String id, UpdateState state, String message, Instant at) {
        jdbc.sql("update stratos_update set state = ?, message = coalesce(?, message), ended_at = ? where id = ?")
                .params(state.name(), truncate(message, 1000), ts(at), id).update();
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

    /**
     * The members of batch {@code batch}, in one batch of statements (not a round trip per member). A member the
     * pre-flight checked already has a record (batch 0): it moves into the batch; the others get one.
     */
    void insertMembers(String updateId, String clusterId, int batch, List<String> memberIds, List<String> fromVersions,
                       String toVersion) {
        java.util.Set<String> checked = batch == 0 || memberIds.isEmpty() ? java.util.Set.of()
                : new java.util.HashSet<>(jdbc.sql("""
                        select member_id from stratos_update_member
                        where update_id = :u and batch_number = 0 and member_id in (:ids)""")
                .param("u", updateId).param("ids", memberIds).query(String.class).list());
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

    /** A container member's run starts: the message of that run is cleared (the other runs' results stay). */
    void startMember(String updateId, String memberId, MemberProgress state, Instant at) {
        RunPhase phase = state == MemberProgress.ROLLING_BACK ? RunPhase.ROLLBACK : RunPhase.UPDATE;
        jdbc.sql("update stratos_update_member set state = ?, " + phase.column("message") + " = null, "
                        + (phase.rollback() ? "rollback_started_at" : "started_at") + " = ? "
                        + "where update_id = ? and member_id = ?")
                .params(state.name(), ts(at), updateId, memberId).update();
    }

    /** Ends a member's update or (rollback states) its rollback, with that run's exit code, message and output. */
    void finishMember(String updateId, String memberId, MemberProgress state, Integer exitCode, String message,
                      String outputTail, Instant at) {
        RunPhase phase = MemberEnd.phaseOf(state);
        jdbc.sql("update stratos_update_member set state = ?, "
                        + phase.column("exit_code") + " = coalesce(?, " + phase.column("exit_code") + "), "
                        + phase.column("message") + " = ?, "
                        + phase.column("output_tail") + " = coalesce(?, " + phase.column("output_tail") + "), "
                        + (phase.rollback() ? "rollback_ended_at" : "ended_at") + " = ? "
                        + "where update_id = ? and member_id = ?")
                .params(state.name(), exitCode, truncate(message, 1000), truncate(outputTail, 4000), ts(at), updateId,
                        memberId)
                .update();
    }

    /** The message of {@code phase}'s run on the member (its progress, shown by the API). */
    void setMessage(String updateId, String memberId, RunPhase phase, String message) {
        jdbc.sql("update stratos_update_member set " + phase.column("message") + " = ? where update_id = ? and member_id = ?")
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
     * The batch's members start {@code phase}'s run through their agents: each record goes in progress (UPDATING or
     * ROLLING_BACK; a pre-flight leaves the progress PENDING and marks the pre-flight CHECKING) with no report and no
     * acknowledgement yet, and the batch waits for {@code memberIds.size()} reports until {@code deadline}, for each
     * acknowledgement until {@code ackDeadline}. The results of the member's other runs stay. Safe to repeat.
     */
    void startAgentBatch(String batchId, String updateId, List<String> memberIds, RunPhase phase, Instant at,
                         Instant deadline, Instant ackDeadline) {
        String progress = switch (phase) {
            case PREFLIGHT -> "preflight = 'CHECKING'";
            case UPDATE -> "state = 'UPDATING', started_at = ?";
            case ROLLBACK -> "state = 'ROLLING_BACK', rollback_started_at = ?";
        };
        batches.batchUpdate("update stratos_update_member set " + progress + ", " + phase.column("message")
                        + " = null, report_ok = null, acked_at = null, agent_batch = ? where update_id = ? and member_id = ?",
                memberIds.stream().map(m -> phase.noop() ? new Object[] {batchId, updateId, m}
                        : new Object[] {ts(at), batchId, updateId, m}).toList());
        jdbc.sql("delete from stratos_agent_batch where id = ?").param(batchId).update();
        jdbc.sql("""
                insert into stratos_agent_batch (id, update_id, outstanding, deadline, ack_deadline)
                values (?, ?, ?, ?, ?)""")
                .params(batchId, updateId, memberIds.size(), ts(deadline), ts(ackDeadline)).update();
    }

    List<MemberRecord> agentBatchMembers(String batchId) {
        return jdbc.sql("select * from stratos_update_member where agent_batch = ? order by member_id")
                .param(batchId).query(this::member).list();
    }

    /**
     * Stores a report (an agent's, or the manager's verdict on a silent agent) as the result of {@code phase}'s run on
     * a member of {@code batchId}, unless one is stored already; true if this one was (then the batch has one report
     * fewer to wait for).
     */
    boolean recordAgentReport(String updateId, String memberId, String batchId, RunPhase phase, boolean ok,
                              RunResult run) {
        return jdbc.sql("update stratos_update_member set report_ok = ?, "
                        + phase.column("exit_code") + " = ?, " + phase.column("failure") + " = ?, "
                        + phase.column("message") + " = ?, " + phase.column("output_tail") + " = ?, "
                        + phase.column("resources_changed") + " = ?, " + phase.column("resources_failed") + " = ? "
                        + "where update_id = ? and member_id = ? and agent_batch = ? and report_ok is null")
                .params(ok, run.exitCode(), run.failure(), truncate(run.message(), 1000), truncate(run.outputTail(), 4000),
                        run.resourcesChanged(), run.resourcesFailed(), updateId, memberId, batchId)
                .update() == 1;
    }

    /** Reports have arrived for the batch: how many it still waits for (the row lock orders the reports). */
    int reportsArrived(String batchId, int count) {
        jdbc.sql("update stratos_agent_batch set outstanding = outstanding - ? where id = ? and outstanding >= ?")
                .params(count, batchId, count).update();
        return agentBatch(batchId).map(AgentBatch::outstanding).orElse(0);
    }

    Optional<AgentBatch> agentBatch(String batchId) {
        return jdbc.sql("select outstanding, deadline, ack_deadline, resent_at from stratos_agent_batch where id = ?")
                .param(batchId)
                .query((rs, row) -> new AgentBatch(rs.getInt("outstanding"), instant(rs, "deadline"),
                        instant(rs, "ack_deadline"), instant(rs, "resent_at")))
                .optional();
    }

    void setResent(String batchId, Instant at) {
        jdbc.sql("update stratos_agent_batch set resent_at = ? where id = ?").params(ts(at), batchId).update();
    }

    void endAgentBatch(String batchId) {
        jdbc.sql("delete from stratos_agent_batch where id = ?").param(batchId).update();
    }

    /** The update's process was cancelled: none of its batches waits any more. */
    void endAgentBatches(String updateId) {
        jdbc.sql("delete from stratos_agent_batch where update_id = ?").param(updateId).update();
    }

    /**
     * The agent acknowledged {@code phase}'s command (it is applying it): when, and the run's message, until its
     * report is in (never over the report).
     */
    void acknowledge(String updateId, String memberId, RunPhase phase, String message, Instant at) {
        jdbc.sql("update stratos_update_member set acked_at = ?, " + phase.column("message")
                        + " = ? where update_id = ? and member_id = ? and report_ok is null")
                .params(ts(at), truncate(message, 1000), updateId, memberId).update();
    }

    /** Keeps what a report said that came after the manager stopped waiting for it; false if one is kept already. */
    boolean recordLateReport(String updateId, String memberId, RunPhase phase, String report) {
        String column = phase.column("late_report");
        return jdbc.sql("update stratos_update_member set " + column + " = ? where update_id = ? and member_id = ? and "
                        + column + " is null")
                .params(truncate(report, 1000), updateId, memberId).update() == 1;
    }

    /** Ends the update or the rollback of these members, in one batch of statements per kind of run. */
    void finishMembers(String updateId, List<MemberEnd> ends, Instant at) {
        for (RunPhase phase : List.of(RunPhase.UPDATE, RunPhase.ROLLBACK)) {
            List<Object[]> rows = ends.stream().filter(e -> e.phase() == phase)
                    .map(e -> new Object[] {e.state().name(), truncate(e.message(), 1000), e.failure(), ts(at),
                            updateId, e.memberId()})
                    .toList();
            if (!rows.isEmpty()) {
                batches.batchUpdate("update stratos_update_member set state = ?, " + phase.column("message") + " = ?, "
                        + phase.column("failure") + " = coalesce(?, " + phase.column("failure") + "), "
                        + (phase.rollback() ? "rollback_ended_at" : "ended_at") + " = ? where update_id = ? and member_id = ?",
                        rows);
            }
        }
    }

    /** Records the pre-flight's verdict on these members, in one batch of statements. */
    void finishPreflight(String updateId, List<PreflightEnd> ends) {
        if (!ends.isEmpty()) {
            batches.batchUpdate("""
                    update stratos_update_member set preflight = ?, preflight_message = ?,
                           preflight_failure = coalesce(?, preflight_failure)
                    where update_id = ? and member_id = ?""",
                    ends.stream().map(e -> new Object[] {e.result().name(), truncate(e.message(), 1000), e.failure(),
                            updateId, e.memberId()}).toList());
        }
    }

    /** How a member's update (or its rollback) ended; {@code failure} only when the manager decided it. */
    record MemberEnd(String memberId, MemberProgress state, String message, String failure) {

        MemberEnd(String memberId, MemberProgress state, String message) {
            this(memberId, state, message, null);
        }

        RunPhase phase() {
            return phaseOf(state);
        }

        static RunPhase phaseOf(MemberProgress state) {
            return state == MemberProgress.ROLLED_BACK || state == MemberProgress.ROLLBACK_FAILED
                    || state == MemberProgress.ROLLING_BACK ? RunPhase.ROLLBACK : RunPhase.UPDATE;
        }
    }

    /** The pre-flight's verdict on a member; {@code failure} only when the manager decided it. */
    record PreflightEnd(String memberId, PreflightResult result, String message, String failure) {
    }

    /**
     * A batch waiting for its agents: reports still to come, the end of the wait, the time by which every agent must
     * have acknowledged its command, and when the commands were last sent again (null: not yet).
     */
    record AgentBatch(int outstanding, Instant deadline, Instant ackDeadline, Instant resentAt) {
    }

    /** Records, in updates not over, that wait for this replacement member. */
    List<MemberRecord> membersByReplacement(String replacementMemberId) {
        return jdbc.sql("""
                select m.* from stratos_update_member m join stratos_update u on u.id = m.update_id
                where m.replacement_member_id = ? and u.ended_at is null""")
                .param(replacementMemberId).query(this::member).list();
    }

    // ---- what the updates know of a member (for a Suspended member whose agent comes back)

    /** Whether an update that is not over is running a command on the member now. */
    boolean inProgress(String memberId) {
        return jdbc.sql("""
                select count(*) from stratos_update_member m join stratos_update u on u.id = m.update_id
                where m.current_member_id = ? and u.ended_at is null and m.state in ('UPDATING', 'ROLLING_BACK')""")
                .param(memberId).query(Integer.class).single() > 0;
    }

    /** The versions the member's latest update moved it from and to (empty when no update touched it). */
    List<String> lastUpdateVersions(String memberId) {
        return jdbc.sql("""
                select m.from_version, m.to_version from stratos_update_member m
                join stratos_update u on u.id = m.update_id
                where m.current_member_id = ? order by u.created_at desc""")
                .param(memberId)
                .query((rs, i) -> java.util.Arrays.asList(rs.getString("from_version"), rs.getString("to_version")))
                .stream().findFirst().orElse(List.of());
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
                order by update_id, cluster_id, batch_number, member_id"""
                        .formatted(withOutputTail ? "*" : COLUMNS_WITHOUT_OUTPUT))
                .param("ids", updateIds).query(this::member).list();
    }

    /** Every member column but the runs' output tails (the bulk of a row), which lists leave out. */
    private static final String COLUMNS_WITHOUT_OUTPUT = String.join(", ", List.of("update_id", "member_id",
            "cluster_id", "batch_number", "state", "from_version", "to_version", "current_member_id",
            "replacement_member_id", "started_at", "ended_at", "rollback_started_at", "rollback_ended_at",
            "agent_batch", "report_ok", "acked_at", "preflight"))
            + java.util.Arrays.stream(RunPhase.values()).map(p -> List.of("exit_code", "failure", "message",
                            "resources_changed", "resources_failed", "late_report").stream().map(p::column)
                    .collect(java.util.stream.Collectors.joining(", ", ", ", ", "))
                    + "cast(null as varchar(4000)) as " + p.column("output_tail"))
            .collect(java.util.stream.Collectors.joining());

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
        String preflight = rs.getString("preflight");
        return new MemberRecord(rs.getString("update_id"), rs.getString("member_id"), rs.getString("cluster_id"),
                rs.getInt("batch_number"), MemberProgress.valueOf(rs.getString("state")), rs.getString("from_version"),
                rs.getString("to_version"), rs.getString("current_member_id"), rs.getString("replacement_member_id"),
                run(rs, RunPhase.UPDATE), run(rs, RunPhase.ROLLBACK),
                preflight == null ? null : PreflightResult.valueOf(preflight), run(rs, RunPhase.PREFLIGHT),
                instant(rs, "started_at"), instant(rs, "ended_at"), instant(rs, "rollback_started_at"),
                instant(rs, "rollback_ended_at"), rs.getString("agent_batch"), (Boolean) rs.getObject("report_ok"),
                instant(rs, "acked_at"));
    }

    private static RunResult run(ResultSet rs, RunPhase phase) throws SQLException {
        return new RunResult(integer(rs, phase.column("exit_code")), rs.getString(phase.column("failure")),
                rs.getString(phase.column("message")), rs.getString(phase.column("output_tail")),
                integer(rs, phase.column("resources_changed")), integer(rs, phase.column("resources_failed")),
                rs.getString(phase.column("late_report")));
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
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
