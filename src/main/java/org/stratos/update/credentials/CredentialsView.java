package org.stratos.update.credentials;

import java.time.Instant;

/**
 * What is known of a member's credentials, without the password.
 *
 * @param memberId    the member asked about
 * @param clusterId   its cluster
 * @param user        the broker user that speaks for it
 * @param kind        one member's agent, or a fleet
 * @param memberCount how many members that user speaks for
 * @param issuedAt    when the user was first issued
 * @param issuedBy    who issued it (an API user, or the runtime that started the member)
 * @param rotatedAt   when the password was last replaced, if ever
 * @param revokedAt   when the credentials were revoked; null while they are valid
 */
public record CredentialsView(
        String memberId,
        String clusterId,
        String user,
        PrincipalKind kind,
        int memberCount,
        Instant issuedAt,
        String issuedBy,
        Instant rotatedAt,
        Instant revokedAt) {}
