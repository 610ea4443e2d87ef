package org.stratos.update.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, once the manager is up, warns when autovacuum does not look after the manager's tables. Every member
 * update rewrites the member's row several times and the engine writes its history: without autovacuum the dead row
 * versions pile up in the tables and their indexes, the planner never learns how large they are, and each update takes
 * longer than the one before (3.2 s at the fifth update of 1,000 members, 7.6 s at the fortieth; docs/benchmarks.md,
 * session 5). Nothing is changed: the setting is the database administrator's.
 */
@Component
class AutovacuumCheck {

    private static final Logger log = LoggerFactory.getLogger(AutovacuumCheck.class);
    private static final String HOW = "see docs/production.md, \"PostgreSQL: keep autovacuum on\"";

    private final DataSource dataSource;

    AutovacuumCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfOff() {
        try {
            problems(dataSource)
                    .forEach(p -> log.warn("{}: every update will be slower than the one before ({})", p, HOW));
        } catch (RuntimeException | SQLException e) {
            log.info("Could not tell whether PostgreSQL's autovacuum is on: {}", e.toString());
        }
    }

    /**
     * What keeps autovacuum from the manager's tables ({@code stratos_*} and the engine's {@code act_*}) in the
     * database behind {@code dataSource}; empty when nothing does, or when it is not PostgreSQL.
     */
    static List<String> problems(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
                return List.of();
            }
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> problems = new ArrayList<>();
        for (String setting : List.of("autovacuum", "track_counts")) { // autovacuum needs both
            if ("off"
                    .equals(jdbc.queryForObject(
                            "select setting from pg_settings where name = ?", String.class, setting))) {
                problems.add("PostgreSQL's " + setting + " is off on the server (" + setting + " = off)");
            }
        }
        List<String> tables = jdbc.queryForList("""
                select c.relname from pg_class c
                where c.relkind = 'r' and c.relnamespace = current_schema()::regnamespace
                  and (c.relname like 'stratos\\_%' or c.relname like 'act\\_%')
                  and 'autovacuum_enabled=false' = any(c.reloptions)
                order by c.relname""", String.class);
        if (!tables.isEmpty()) {
            problems.add("PostgreSQL's autovacuum is off for " + String.join(", ", tables)
                    + " (autovacuum_enabled = false)");
        }
        return problems;
    }
}
