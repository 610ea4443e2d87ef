package org.stratos.update.update;

import java.time.Instant;

/**
 * One member of an update (table {@code stratos_update_member}). {@code memberId} is the member the update started
 * on; {@code currentMemberId} the one now holding its place (a replacement container), or the same id for VMs;
 * {@code replacementMemberId} a container being started to take the place, until it does. A member on a VM is updated
 * by its agent within a {@code batchUpdate} flow, {@code agentBatch}; {@code reportOk} is the agent's verdict, null
 * until it reports.
 */
public record MemberRecord(String updateId, String memberId, String clusterId, int batchNumber, MemberProgress state,
                           String fromVersion, String toVersion, String currentMemberId, String replacementMemberId,
                           Integer exitCode,
                           String message, String outputTail, Instant startedAt, Instant endedAt,
                           Instant rollbackStartedAt, Instant rollbackEndedAt, String agentBatch, Boolean reportOk) {

    /** The member that now holds this place in the cluster. */
    public String current() {
        return currentMemberId == null ? memberId : currentMemberId;
    }
}
