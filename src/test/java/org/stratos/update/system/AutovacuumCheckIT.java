package org.stratos.update.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.stratos.update.support.PostgresDatabase;

/**
 * The start-up check of autovacuum against the PostgreSQL server on the machine: it names a manager's table whose
 * autovacuum was switched off, and says the server's own setting exactly when the server has it off (this project's
 * CI machines do: conf.d/90-ci.conf); H2 has nothing to check.
 */
class AutovacuumCheckIT {

    static final PostgresDatabase DB = PostgresDatabase.create("stratos_it_autovacuum");
    static SimpleDriverDataSource postgres;

    @BeforeAll
    static void tables() {
        postgres = new SimpleDriverDataSource(new org.postgresql.Driver(), DB.url(), PostgresDatabase.USER, "");
        JdbcTemplate jdbc = new JdbcTemplate(postgres);
        jdbc.execute("create table stratos_update_member (id int) with (autovacuum_enabled = false)");
        jdbc.execute("create table stratos_member (id int)");
        jdbc.execute("create table act_hi_actinst (id int) with (autovacuum_enabled = true)");
        jdbc.execute("create table unrelated (id int) with (autovacuum_enabled = false)");
    }

    @AfterAll
    static void drop() {
        DB.drop();
    }

    @Test
    void aManagersTableWithoutAutovacuumIsNamedAndNoOtherIs() throws SQLException {
        assertThat(AutovacuumCheck.problems(postgres))
                .filteredOn(p -> p.contains("autovacuum_enabled"))
                .containsExactly(
                        "PostgreSQL's autovacuum is off for stratos_update_member (autovacuum_enabled = false)");
    }

    @Test
    void theServersSettingIsNamedExactlyWhenItIsOff() throws SQLException {
        String setting = new JdbcTemplate(postgres).queryForObject("show autovacuum", String.class);
        boolean named = AutovacuumCheck.problems(postgres).stream()
                .anyMatch(p -> p.equals("PostgreSQL's autovacuum is off on the server (autovacuum = off)"));
        assertThat(named).as("autovacuum is %s on this server", setting).isEqualTo(setting.equals("off"));
    }

    @Test
    void h2HasNothingToCheck() throws SQLException {
        SimpleDriverDataSource h2 = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:autovacuum", "sa", "");
        assertThat(AutovacuumCheck.problems(h2)).isEmpty();
    }
}
