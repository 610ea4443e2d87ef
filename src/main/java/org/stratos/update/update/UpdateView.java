package org.stratos.update.update;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An update as the API shows it: where it stands, the request as given, and per cluster and member what happened.
 * {@code currentCluster} and {@code currentBatch} name the cluster being worked on (absent before the first one
 * starts and once the update has ended).
 *
 * @param members         members of all clusters (a pending cluster counts its live members now)
 * @param percentComplete share of {@code members} the update is done with, 0-100
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateView(
        String updateId,
        String applicationId,
        UpdateState state,
        RequestedAction requestedAction,
        String createdBy,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        String message,
        UpdateRequest request,
        String currentCluster,
        Integer currentBatch,
        int members,
        ProgressCounts totals,
        int percentComplete,
        List<ClusterView> clusters) {

    /**
     * One cluster of the update. Until it starts ({@code state} PENDING) {@code members}, {@code batchSize},
     * {@code failureBudget} and {@code minHealthy} are what the request gives for the cluster as it is now; they are
     * fixed when it starts.
     *
     * @param members         members to update
     * @param batchesPlanned  ceil(members / batchSize)
     * @param currentBatch    the batch running or last run (0: none yet)
     * @param percentComplete share of {@code members} done: updated, failed or rolled back (100 once UPDATED)
     * @param memberProgress  the members planned into batches so far, batch by batch
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterView(
            String clusterId,
            String alias,
            ClusterProgress state,
            String fromVersion,
            String toVersion,
            int members,
            int batchSize,
            int failureBudget,
            int minHealthy,
            int currentBatch,
            int batchesPlanned,
            int approvedBatch,
            ProgressCounts counts,
            int percentComplete,
            String message,
            Instant startedAt,
            Instant endedAt,
            List<MemberView> memberProgress) {}

    /**
     * One member of the update. {@code memberId} is the member the update started on, {@code currentMemberId} the
     * one holding its place now (a replacement container; the same id for VMs). {@code batch} 0: only checked by the
     * pre-flight so far. The update's run: {@code exitCode}, {@code failure} (its kind), {@code message},
     * {@code outputTail} (the end of the agent's output; in the view of a single update only), {@code resourcesChanged},
     * {@code resourcesFailed} (Puppet's), {@code lateReport} (a report that came after the manager gave up on it). The
     * rollback's run and the pre-flight's keep the same fields, in {@code rollback} and {@code preflight}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MemberView(
            String memberId,
            String currentMemberId,
            String replacementMemberId,
            String clusterId,
            int batch,
            MemberProgress state,
            String fromVersion,
            String toVersion,
            Instant startedAt,
            Instant endedAt,
            Long durationMillis,
            Integer exitCode,
            String failure,
            String message,
            String outputTail,
            Integer resourcesChanged,
            Integer resourcesFailed,
            String lateReport,
            Instant rollbackStartedAt,
            Instant rollbackEndedAt,
            RunView rollback,
            RunView preflight) {}

    /**
     * One run on a member (its rollback, or its pre-flight): as the update's own run fields of {@link MemberView};
     * {@code result} is the pre-flight's (CHECKING, PASSED, FAILED).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(
            PreflightResult result,
            Integer exitCode,
            String failure,
            String message,
            String outputTail,
            Integer resourcesChanged,
            Integer resourcesFailed,
            String lateReport) {}

    /** Members by progress; {@code pending} includes members not planned into a batch yet. */
    public record ProgressCounts(
            int pending,
            int updating,
            int updated,
            int failed,
            int notApplied,
            int rollingBack,
            int rolledBack,
            int rollbackFailed) {

        static final ProgressCounts NONE = new ProgressCounts(0, 0, 0, 0, 0, 0, 0, 0);

        /** Updated, failed, not applied, rolled back or failed to roll back: nothing more will happen to these. */
        int finished() {
            return updated + failed + notApplied + rolledBack + rollbackFailed;
        }

        ProgressCounts plus(ProgressCounts o) {
            return new ProgressCounts(
                    pending + o.pending,
                    updating + o.updating,
                    updated + o.updated,
                    failed + o.failed,
                    notApplied + o.notApplied,
                    rollingBack + o.rollingBack,
                    rolledBack + o.rolledBack,
                    rollbackFailed + o.rollbackFailed);
        }
    }
}
