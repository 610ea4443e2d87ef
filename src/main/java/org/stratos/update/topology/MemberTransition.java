package org.stratos.update.topology;

import java.time.Instant;

/**
 * One recorded state change of a member; {@code from} is null when the member was first recorded, {@code updateId}
 * names the update that made the change (null for joins, returns and retirements).
 */
public record MemberTransition(
        String memberId,
        MemberState from,
        MemberState to,
        String version,
        String reason,
        Instant at,
        String updateId) {}
