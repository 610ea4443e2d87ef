package org.stratos.update.update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** How a row of {@code stratos_update_member} becomes a {@link MemberRecord}, for both repositories that read it. */
final class MemberRows {

    /** Every member column but the runs' output tails (the bulk of a row), which lists leave out. */
    static final String COLUMNS_WITHOUT_OUTPUT = String.join(
                    ", ",
                    List.of(
                            "update_id",
                            "member_id",
                            "cluster_id",
                            "batch_number",
                            "state",
                            "from_version",
                            "to_version",
                            "current_member_id",
                            "replacement_member_id",
                            "started_at",
                            "ended_at",
                            "rollback_started_at",
                            "rollback_ended_at",
                            "agent_batch",
                            "report_ok",
                            "acked_at",
                            "preflight"))
            + Arrays.stream(RunPhase.values())
                    .map(p -> List.of(
                                            "exit_code",
                                            "failure",
                                            "message",
                                            "resources_changed",
                                            "resources_failed",
                                            "late_report")
                                    .stream()
                                    .map(p::column)
                                    .collect(Collectors.joining(", ", ", ", ", "))
                            + "cast(null as varchar(4000)) as " + p.column("output_tail"))
                    .collect(Collectors.joining());

    private MemberRows() {}

    static MemberRecord member(ResultSet rs, int row) throws SQLException {
        String preflight = rs.getString("preflight");
        return new MemberRecord(
                rs.getString("update_id"),
                rs.getString("member_id"),
                rs.getString("cluster_id"),
                rs.getInt("batch_number"),
                MemberProgress.valueOf(rs.getString("state")),
                rs.getString("from_version"),
                rs.getString("to_version"),
                rs.getString("current_member_id"),
                rs.getString("replacement_member_id"),
                run(rs, RunPhase.UPDATE),
                run(rs, RunPhase.ROLLBACK),
                preflight == null ? null : PreflightResult.valueOf(preflight),
                run(rs, RunPhase.PREFLIGHT),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                instant(rs, "rollback_started_at"),
                instant(rs, "rollback_ended_at"),
                rs.getString("agent_batch"),
                (Boolean) rs.getObject("report_ok"),
                instant(rs, "acked_at"));
    }

    private static RunResult run(ResultSet rs, RunPhase phase) throws SQLException {
        return new RunResult(
                integer(rs, phase.column("exit_code")),
                rs.getString(phase.column("failure")),
                rs.getString(phase.column("message")),
                rs.getString(phase.column("output_tail")),
                integer(rs, phase.column("resources_changed")),
                integer(rs, phase.column("resources_failed")),
                rs.getString(phase.column("late_report")));
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
