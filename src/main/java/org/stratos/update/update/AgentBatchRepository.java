package org.stratos.update.update;

import static org.stratos.update.update.MemberRows.instant;
import static org.stratos.update.update.MemberRows.truncate;
import static org.stratos.update.update.MemberRows.ts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Plain SQL for the runs of VM members a batch at a time ({@code batchUpdate}): the batch's row in
 * {@code stratos_agent_batch} (reports still to come, deadlines) and each member's run in
 * {@code stratos_update_member} — started, acknowledged, reported (late ones too), ended. One statement per batch where
 * a step touches every member.
 */
@Repository
class AgentBatchRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    AgentBatchRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /**
     * The batch's members start {@code phase}'s run through their agents: each record goes in progress (UPDATING or
     * ROLLING_BACK; a pre-flight leaves the progress PENDING and marks the pre-flight CHECKING) with no report and no
     * acknowledgement yet, and the batch waits for {@code memberIds.size()} reports until {@code deadline}, for each
     * acknowledgement until {@code ackDeadline}. The results of the member's other runs stay. Safe to repeat.
     */
    void startAgentBatch(
            String batchId,
            String updateId,
            List<String> memberIds,
            RunPhase phase,
            Instant at,
            Instant deadline,
            Instant ackDeadline) {
        String progress = switch (phase) {
            case PREFLIGHT -> "preflight = 'CHECKING'";
            case UPDATE -> "state = 'UPDATING', started_at = ?";
            case ROLLBACK -> "state = 'ROLLING_BACK', rollback_started_at = ?";
        };
        batches.batchUpdate(
                "update stratos_update_member set " + progress + ", " + phase.column("message")
                        + " = null, report_ok = null, acked_at = null, agent_batch = ? where update_id = ? and member_id = ?",
                memberIds.stream()
                        .map(m -> phase.noop()
                                ? new Object[] {batchId, updateId, m}
                                : new Object[] {ts(at), batchId, updateId, m})
                        .toList());
        jdbc.sql("delete from stratos_agent_batch where id = ?").param(batchId).update();
        jdbc.sql("""
                insert into stratos_agent_batch (id, update_id, outstanding, deadline, ack_deadline)
                values (?, ?, ?, ?, ?)""")
                .params(batchId, updateId, memberIds.size(), ts(deadline), ts(ackDeadline))
                .update();
    }

    List<MemberRecord> agentBatchMembers(String batchId) {
        return jdbc.sql("select * from stratos_update_member where agent_batch = ? order by member_id")
                .param(batchId)
                .query(MemberRows::member)
                .list();
    }

    /**
     * Stores a report (an agent's, or the manager's verdict on a silent agent) as the result of {@code phase}'s run on
     * a member of {@code batchId}, unless one is stored already; true if this one was (then the batch has one report
     * fewer to wait for).
     */
    boolean recordAgentReport(
            String updateId, String memberId, String batchId, RunPhase phase, boolean ok, RunResult run) {
        return jdbc.sql("update stratos_update_member set report_ok = ?, "
                                + phase.column("exit_code") + " = ?, " + phase.column("failure") + " = ?, "
                                + phase.column("message") + " = ?, " + phase.column("output_tail") + " = ?, "
                                + phase.column("resources_changed") + " = ?, " + phase.column("resources_failed")
                                + " = ? "
                                + "where update_id = ? and member_id = ? and agent_batch = ? and report_ok is null")
                        .params(
                                ok,
                                run.exitCode(),
                                run.failure(),
                                truncate(run.message(), 1000),
                                truncate(run.outputTail(), 4000),
                                run.resourcesChanged(),
                                run.resourcesFailed(),
                                updateId,
                                memberId,
                                batchId)
                        .update()
                == 1;
    }

    /** Reports have arrived for the batch: how many it still waits for (the row lock orders the reports). */
    int reportsArrived(String batchId, int count) {
        jdbc.sql("update stratos_agent_batch set outstanding = outstanding - ? where id = ? and outstanding >= ?")
                .params(count, batchId, count)
                .update();
        return agentBatch(batchId).map(AgentBatch::outstanding).orElse(0);
    }

    Optional<AgentBatch> agentBatch(String batchId) {
        return jdbc.sql("select outstanding, deadline, ack_deadline, resent_at from stratos_agent_batch where id = ?")
                .param(batchId)
                .query((rs, row) -> new AgentBatch(
                        rs.getInt("outstanding"),
                        instant(rs, "deadline"),
                        instant(rs, "ack_deadline"),
                        instant(rs, "resent_at")))
                .optional();
    }

    void setResent(String batchId, Instant at) {
        jdbc.sql("update stratos_agent_batch set resent_at = ? where id = ?")
                .params(ts(at), batchId)
                .update();
    }

    void endAgentBatch(String batchId) {
        jdbc.sql("delete from stratos_agent_batch where id = ?").param(batchId).update();
    }

    /** The update's process was cancelled: none of its batches waits any more. */
    void endAgentBatches(String updateId) {
        jdbc.sql("delete from stratos_agent_batch where update_id = ?")
                .param(updateId)
                .update();
    }

    /** One acknowledgement of {@link #acknowledgeAll}. */
    record Ack(String updateId, String memberId, RunPhase phase, String message) {}

    /**
     * The agents acknowledged their commands (they are applying them): when, and each run's message until its report
     * is in (never over the report); one batch of statements per kind of run.
     */
    void acknowledgeAll(List<Ack> acks, Instant at) {
        for (RunPhase phase : RunPhase.values()) {
            List<Object[]> rows = acks.stream()
                    .filter(a -> a.phase() == phase)
                    .map(a -> new Object[] {ts(at), truncate(a.message(), 1000), a.updateId(), a.memberId()})
                    .toList();
            if (!rows.isEmpty()) {
                batches.batchUpdate(
                        "update stratos_update_member set acked_at = ?, " + phase.column("message")
                                + " = ? where update_id = ? and member_id = ? and report_ok is null",
                        rows);
            }
        }
    }

    /** Keeps what a report said that came after the manager stopped waiting for it; false if one is kept already. */
    boolean recordLateReport(String updateId, String memberId, RunPhase phase, String report) {
        String column = phase.column("late_report");
        return jdbc.sql("update stratos_update_member set " + column + " = ? where update_id = ? and member_id = ? and "
                                + column + " is null")
                        .params(truncate(report, 1000), updateId, memberId)
                        .update()
                == 1;
    }

    /** Ends the update or the rollback of these members, in one batch of statements per kind of run. */
    void finishMembers(String updateId, List<MemberEnd> ends, Instant at) {
        for (RunPhase phase : List.of(RunPhase.UPDATE, RunPhase.ROLLBACK)) {
            List<Object[]> rows = ends.stream()
                    .filter(e -> e.phase() == phase)
                    .map(e -> new Object[] {
                        e.state().name(), truncate(e.message(), 1000), e.failure(), ts(at), updateId, e.memberId()
                    })
                    .toList();
            if (!rows.isEmpty()) {
                batches.batchUpdate(
                        "update stratos_update_member set state = ?, " + phase.column("message") + " = ?, "
                                + phase.column("failure") + " = coalesce(?, " + phase.column("failure") + "), "
                                + (phase.rollback() ? "rollback_ended_at" : "ended_at")
                                + " = ? where update_id = ? and member_id = ?",
                        rows);
            }
        }
    }

    /** Records the pre-flight's verdict on these members, in one batch of statements. */
    void finishPreflight(String updateId, List<PreflightEnd> ends) {
        if (!ends.isEmpty()) {
            batches.batchUpdate(
                    """
                    update stratos_update_member set preflight = ?, preflight_message = ?,
                           preflight_failure = coalesce(?, preflight_failure)
                    where update_id = ? and member_id = ?""",
                    ends.stream()
                            .map(e -> new Object[] {
                                e.result().name(), truncate(e.message(), 1000), e.failure(), updateId, e.memberId()
                            })
                            .toList());
        }
    }

    /** How a member's update (or its rollback) ended; {@code failure} only when the manager decided it. */
    record MemberEnd(String memberId, MemberProgress state, String message, String failure) {

        MemberEnd(String memberId, MemberProgress state, String message) {
            this(memberId, state, message, null);
        }

        RunPhase phase() {
            return RunPhase.of(state);
        }
    }

    /** The pre-flight's verdict on a member; {@code failure} only when the manager decided it. */
    record PreflightEnd(String memberId, PreflightResult result, String message, String failure) {}

    /**
     * A batch waiting for its agents: reports still to come, the end of the wait, the time by which every agent must
     * have acknowledged its command, and when the commands were last sent again (null: not yet).
     */
    record AgentBatch(int outstanding, Instant deadline, Instant ackDeadline, Instant resentAt) {}
}
