package org.stratos.update.update;

import java.time.Instant;

/**
 * One member of an update (table {@code stratos_update_member}). {@code memberId} is the member the update started
 * on; {@code currentMemberId} the one now holding its place (a replacement container), or the same id for VMs;
 * {@code replacementMemberId} a container being started to take the place, until it does. {@code batchNumber} is 0
 * for a member only checked by the pre-flight so far. A member on a VM is updated by its agent within a
 * {@code batchUpdate} flow, {@code agentBatch}; {@code reportOk} is the agent's verdict on the run under way, null
 * until it reports, and {@code ackedAt} when it last acknowledged that run's command. Each run keeps its own result:
 * {@code update}, {@code rollback}, and the pre-flight ({@code preflight} and {@code preflightRun}).
 */
public record MemberRecord(
        String updateId,
        String memberId,
        String clusterId,
        int batchNumber,
        MemberProgress state,
        String fromVersion,
        String toVersion,
        String currentMemberId,
        String replacementMemberId,
        RunResult update,
        RunResult rollback,
        PreflightResult preflight,
        RunResult preflightRun,
        Instant startedAt,
        Instant endedAt,
        Instant rollbackStartedAt,
        Instant rollbackEndedAt,
        String agentBatch,
        Boolean reportOk,
        Instant ackedAt) {

    /** The member that now holds this place in the cluster. */
    public String current() {
        return currentMemberId == null ? memberId : currentMemberId;
    }

    /** The result of one run. */
    public RunResult run(RunPhase phase) {
        return switch (phase) {
            case PREFLIGHT -> preflightRun;
            case UPDATE -> update;
            case ROLLBACK -> rollback;
        };
    }

    /** Whether the member's agent is running {@code phase}'s command now: the member waits for its report. */
    boolean inProgress(RunPhase phase) {
        return switch (phase) {
            case PREFLIGHT -> preflight == PreflightResult.CHECKING;
            case UPDATE -> state == MemberProgress.UPDATING;
            case ROLLBACK -> state == MemberProgress.ROLLING_BACK;
        };
    }

    /**
     * Whether the agent's report of {@code phase}'s run is stored while no acknowledgement of its command was
     * recorded: an acknowledgement that comes now was overtaken by that report (they travel on separate queues), it
     * is not a repeat, and there is nothing left to record. While the run is under way its report is {@code
     * reportOk}; once it is over, its result, unless the manager gave up on it (then its agent never reported).
     */
    boolean reportOvertookAcknowledgement(RunPhase phase) {
        if (ackedAt != null) {
            return false;
        }
        if (inProgress(phase)) {
            return reportOk != null;
        }
        RunResult run = run(phase);
        return run != null && !run.givenUp() && (run.exitCode() != null || run.failure() != null);
    }

    /** In progress in a batch and no report stored yet. */
    boolean awaitingReport(RunPhase phase) {
        return agentBatch != null && reportOk == null && inProgress(phase);
    }
}
