package org.stratos.update.credentials;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL on {@code stratos_agent_principal} and {@code stratos_member_registration}. */
@Repository
class CredentialRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    CredentialRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** A principal as stored; {@code passwordHash} is null once revoked. */
    record PrincipalRow(
            String name,
            PrincipalKind kind,
            String passwordHash,
            Instant issuedAt,
            String issuedBy,
            Instant rotatedAt,
            Instant revokedAt) {}

    Optional<PrincipalRow> principal(String name) {
        return jdbc.sql("select * from stratos_agent_principal where name = ?")
                .param(name)
                .query((rs, i) -> new PrincipalRow(
                        rs.getString("name"),
                        PrincipalKind.valueOf(rs.getString("kind")),
                        rs.getString("password_hash"),
                        instant(rs.getTimestamp("issued_at")),
                        rs.getString("issued_by"),
                        instant(rs.getTimestamp("rotated_at")),
                        instant(rs.getTimestamp("revoked_at"))))
                .optional();
    }

    void insertPrincipal(String name, PrincipalKind kind, String passwordHash, Instant at, String by) {
        jdbc.sql("""
                insert into stratos_agent_principal (name, kind, password_hash, issued_at, issued_by)
                values (?, ?, ?, ?, ?)""")
                .params(name, kind.name(), passwordHash, Timestamp.from(at), by)
                .update();
    }

    /** A new password (also for revoked credentials, which it restores). */
    void replacePassword(String name, String passwordHash, Instant at) {
        jdbc.sql(
                        "update stratos_agent_principal set password_hash = ?, rotated_at = ?, revoked_at = null where name = ?")
                .params(passwordHash, Timestamp.from(at), name)
                .update();
    }

    void revoke(String name, Instant at) {
        jdbc.sql("update stratos_agent_principal set password_hash = null, revoked_at = ? where name = ?")
                .params(Timestamp.from(at), name)
                .update();
    }

    void insertRegistrations(List<String> memberIds, String clusterId, String principal, Instant at) {
        Timestamp now = Timestamp.from(at);
        batches.batchUpdate("""
                insert into stratos_member_registration (member_id, cluster_id, principal, registered_at)
                values (?, ?, ?, ?)""", memberIds, 1000, (ps, memberId) -> {
            ps.setString(1, memberId);
            ps.setString(2, clusterId);
            ps.setString(3, principal);
            ps.setTimestamp(4, now);
        });
    }

    Optional<Registration> registration(String memberId) {
        return jdbc.sql("select * from stratos_member_registration where member_id = ?")
                .param(memberId)
                .query((rs, i) -> new Registration(
                        rs.getString("member_id"), rs.getString("cluster_id"), rs.getString("principal")))
                .optional();
    }

    List<String> memberIds(String principal) {
        return jdbc.sql("select member_id from stratos_member_registration where principal = ? order by member_id")
                .param(principal)
                .query(String.class)
                .list();
    }

    int countRegistrations(String principal) {
        return jdbc.sql("select count(*) from stratos_member_registration where principal = ?")
                .param(principal)
                .query(Integer.class)
                .single();
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
