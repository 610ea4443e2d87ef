package org.stratos.update.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database on the PostgreSQL server of this machine (127.0.0.1:5432, trust authentication), created for
 * one test class and dropped after it. Host, port and user can be changed with STRATOS_TEST_PG_HOST, _PORT, _USER.
 */
public final class PostgresDatabase {

    private static final String HOST = env("STRATOS_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("STRATOS_TEST_PG_PORT", "5432");
    public static final String USER = env("STRATOS_TEST_PG_USER", "postgres");

    /**
     * Names the checkout the tests run from, so that two checkouts testing on one server at once (worktrees) never
     * drop each other's databases as leftovers.
     */
    private static final String CHECKOUT =
            Integer.toString(Math.floorMod(System.getProperty("user.dir").hashCode(), 36 * 36 * 36), 36);

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    /**
     * Creates a database named after {@code prefix}. Databases of earlier runs with the same prefix are dropped
     * first (not at the end of a run: the Spring context still holds connections until the JVM exits).
     */
    public static PostgresDatabase create(String testPrefix) {
        String prefix = testPrefix + "_" + CHECKOUT;
        dropLeftovers(prefix);
        String name = (prefix + "_" + Long.toString(System.nanoTime(), 36)).toLowerCase();
        admin("create database " + name);
        return new PostgresDatabase(name);
    }

    public String name() {
        return name;
    }

    /** Drops the database, closing what is still connected to it. */
    public void drop() {
        admin("drop database if exists " + name + " with (force)");
    }

    public String url() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    private static void dropLeftovers(String prefix) {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
                Statement s = c.createStatement();
                var rs = s.executeQuery("select datname from pg_database where datname like '" + prefix + "\\_%'")) {
            java.util.List<String> old = new java.util.ArrayList<>();
            while (rs.next()) {
                old.add(rs.getString(1));
            }
            for (String db : old) {
                admin("drop database if exists " + db + " with (force)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " is not reachable", e);
        }
    }

    private static void admin(String sql) {
        try (Connection c =
                        DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " refused '" + sql + "'", e);
        }
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
