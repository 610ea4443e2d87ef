package org.stratos.update.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stratos.update.support.PostgresDatabase;

/**
 * The look-ups of one update member on PostgreSQL use an index that names the member, while the update's own rows are
 * unknown to the planner's statistics (they are new while the update runs): the case in which PostgreSQL used to read
 * every member of the update for each look-up (docs/benchmarks.md). The project's migrations, then an older update
 * analyzed, then a new update of 2,000 members not analyzed yet — as when an update runs.
 */
class MemberLookupPlanIT {

    static final PostgresDatabase DATABASE = PostgresDatabase.create("stratos_it_plan");
    static final String NEW_UPDATE = "upd-new";
    static Connection db;

    @BeforeAll
    static void migrateAndFill() throws SQLException {
        Flyway.configure()
                .dataSource(DATABASE.url(), PostgresDatabase.USER, "")
                .table("stratos_schema_history")
                .load()
                .migrate();
        db = DriverManager.getConnection(DATABASE.url(), PostgresDatabase.USER, "");
        try (Statement s = db.createStatement()) {
            s.execute("insert into stratos_application (id, startup_orders, created_at) values ('app', '[]', now())");
            for (String update : List.of("upd-old", NEW_UPDATE)) {
                s.execute("insert into stratos_update (id, application_id, state, request, created_at) values ('"
                        + update + "', 'app', 'RUNNING', '{}', now())");
            }
            insertMembers("upd-old", 200);
            s.execute("analyze stratos_update_member");
            insertMembers(NEW_UPDATE, 2_000);
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
        DATABASE.drop();
    }

    @Test
    void aMemberOfTheUpdateIsFoundByItsPrimaryKey() throws SQLException {
        assertThat(indexes("select * from stratos_update_member where update_id = '" + NEW_UPDATE
                        + "' and member_id = 'c1.m1234'"))
                .containsExactly("stratos_update_member_pkey");
        assertThat(indexes("update stratos_update_member set acked_at = now(), message = 'applying' where update_id = '"
                        + NEW_UPDATE + "' and member_id = 'c1.m1234' and report_ok is null"))
                .containsExactly("stratos_update_member_pkey");
    }

    @Test
    void aReportIsRecordedThroughAnIndexOnItsBatchAndMember() throws SQLException {
        assertThat(indexes("update stratos_update_member set report_ok = true, exit_code = 0 where update_id = '"
                        + NEW_UPDATE + "' and member_id = 'c1.m1234' and agent_batch = 'batch-12'"
                        + " and report_ok is null"))
                .containsAnyOf("stratos_update_member_pkey", "ix_update_member_agent_batch")
                .hasSize(1);
        assertThat(readsAtMostOneRow(
                        "update stratos_update_member set report_ok = true, exit_code = 0 where update_id = '"
                                + NEW_UPDATE + "' and member_id = 'c1.m1234' and agent_batch = 'batch-12'"
                                + " and report_ok is null"))
                .isTrue();
    }

    @Test
    void theMemberHoldingAPlaceIsFoundByItsId() throws SQLException {
        // as UpdateRepository.memberByCurrentId asks it: the member's records of every update, the update's picked
        String sql = "select * from stratos_update_member where current_member_id = 'c1.m1234'";
        assertThat(indexes(sql)).containsExactly("ix_update_member_current");
        assertThat(readsAtMostOneRow(sql)).isTrue();
    }

    private static void insertMembers(String update, int count) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("""
                insert into stratos_update_member (update_id, member_id, cluster_id, batch_number, state, to_version,
                                                   current_member_id, agent_batch)
                values (?, ?, ?, ?, 'PENDING', '2.0', ?, ?)""")) {
            for (int i = 0; i < count; i++) {
                String member = "c" + i % 2 + ".m" + i;
                p.setString(1, update);
                p.setString(2, member);
                p.setString(3, "c" + i % 2);
                p.setInt(4, i / 100 + 1);
                p.setString(5, member);
                p.setString(6, "batch-" + (i / 100 + 1));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** The indexes the plan of {@code sql} scans (EXPLAIN, not run). */
    private static List<String> indexes(String sql) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement s = db.createStatement();
                var rs = s.executeQuery("explain " + sql)) {
            while (rs.next()) {
                var m = java.util.regex.Pattern.compile("Index (?:Only )?Scan using (\\w+)")
                        .matcher(rs.getString(1));
                if (m.find()) {
                    found.add(m.group(1));
                }
                assertThat(rs.getString(1)).as(sql).doesNotContain("Seq Scan");
            }
        }
        return found;
    }

    /** Runs {@code sql} (rolled back) and says whether its index scan read at most one row. */
    private static boolean readsAtMostOneRow(String sql) throws SQLException {
        db.setAutoCommit(false);
        try (Statement s = db.createStatement();
                var rs = s.executeQuery("explain (analyze, costs off, timing off) " + sql)) {
            boolean removedRows = false;
            while (rs.next()) {
                String line = rs.getString(1);
                if (line.contains("Rows Removed by Filter")) {
                    removedRows = true;
                }
            }
            return !removedRows;
        } finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }
}
