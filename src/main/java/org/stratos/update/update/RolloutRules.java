package org.stratos.update.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;

/**
 * The arithmetic and the decisions of a rollout as pure functions over plain values: no database, no Spring, no
 * engine. {@link RolloutService} reads the facts, asks these rules, and records what they decide; the rules are
 * table-tested in {@code RolloutRulesTest}, every branch.
 */
final class RolloutRules {

    private RolloutRules() {}

    // ---- batch planning

    /** How a cluster's update is sized when it starts. */
    public record ClusterSizing(int batchSize, int failureBudget, int minHealthy) {}

    /**
     * Sizes a cluster of {@code members} live members. Phased: batches of {@code batchSize} (a percentage rounds up,
     * at least 1, at most the cluster) and a healthy floor of {@code minHealthyPercent} of the cluster, rounded up.
     * All at once: one batch of every member, and no floor (the cluster is Patching). Either way the failure budget
     * is {@code maxFailures} (a percentage rounds down).
     */
    public static ClusterSizing sizeCluster(
            int members, boolean phased, Quantity batchSize, Quantity maxFailures, int minHealthyPercent) {
        return new ClusterSizing(
                phased ? batchSize.batchOf(members) : members,
                maxFailures.budgetOf(members),
                phased ? minHealthy(members, minHealthyPercent) : 0);
    }

    /** The Active members a cluster of {@code members} must keep: {@code minHealthyPercent} of it, rounded up. */
    public static int minHealthy(int members, int minHealthyPercent) {
        return (int) Math.ceil(members * minHealthyPercent / 100.0);
    }

    /**
     * The members an update to {@code target} brings there, in the order they go: the Suspended ones first (a failed
     * earlier update, to be repaired: updating them takes nothing out of service), then the Active ones not on
     * {@code target}. Members in any other state (Updating, Terminated, ...) are not taken.
     */
    public static List<Member> targets(List<Member> live, String target) {
        return Stream.concat(
                        live.stream().filter(m -> m.state() == MemberState.SUSPENDED),
                        live.stream().filter(m -> m.state() == MemberState.ACTIVE && !target.equals(m.version())))
                .toList();
    }

    // ---- the healthy floor

    /**
     * The next batch, taken in order from {@code pending}: at most {@code batchSize} members, and never so many
     * Active ones that fewer than {@code minHealthy} of the cluster's {@code active} members stay Active. Members out
     * of service (Suspended) take a place in the batch but nothing from the floor. Empty when no member may go: the
     * cluster has no room at all.
     */
    public static List<Member> nextBatch(List<Member> pending, long active, int batchSize, int minHealthy) {
        long mayLeaveService = active - minHealthy;
        List<Member> batch = new ArrayList<>();
        for (Member m : pending) {
            if (batch.size() >= batchSize) {
                break;
            }
            if (m.state() != MemberState.ACTIVE) {
                batch.add(m);
            } else if (mayLeaveService > 0) {
                mayLeaveService--;
                batch.add(m);
            }
        }
        return batch;
    }

    // ---- the failure budget

    /** Whether {@code failed} members are more than the cluster's budget tolerates. */
    public static boolean budgetExceeded(int failed, int failureBudget) {
        return failed > failureBudget;
    }

    // ---- the next step of a phased cluster

    /**
     * What a phased cluster knows before its next batch.
     *
     * @param aborted        an operator aborted the update (with or without rollback)
     * @param pauseRequested an operator asked to pause
     * @param pending        members still to update that no batch has taken
     * @param approvalDue    the next batch waits for an approval not yet given ({@link #approvalDue})
     * @param batch          the members the next batch would take now ({@link #nextBatch})
     */
    public record StepFacts(boolean aborted, boolean pauseRequested, int pending, boolean approvalDue, int batch) {}

    /**
     * The next step, in this order: an abort stops; nothing pending is done; a pause pauses; a batch that needs an
     * approval waits for it; no room under the healthy floor stops; else the batch goes.
     */
    public static RolloutStep nextStep(StepFacts f) {
        if (f.aborted()) {
            return RolloutStep.STOP;
        }
        if (f.pending() == 0) {
            return RolloutStep.DONE;
        }
        if (f.pauseRequested()) {
            return RolloutStep.PAUSE;
        }
        if (f.approvalDue()) {
            return RolloutStep.APPROVE;
        }
        return f.batch() == 0 ? RolloutStep.STOP : RolloutStep.BATCH;
    }

    /** Whether batch {@code next} waits for an operator: the policy asks for it and it was not approved yet. */
    public static boolean approvalDue(Approval approval, int next, int approvedBatch) {
        return approval.before(next) && approvedBatch < next;
    }

    // ---- how a cluster ends

    /**
     * How a cluster's update ends: an abort with rollback rolls it back and an abort leaves it aborted, whatever
     * else holds; a spent failure budget, or a stop that would have broken the healthy floor, rolls it back when
     * {@code autoRollback}, else fails it; otherwise it is updated, with failures when members are not on the target.
     */
    public static ClusterOutcome concludeCluster(
            RequestedAction requested,
            boolean overBudget,
            boolean stoppedUnsafe,
            boolean autoRollback,
            int notOnTarget) {
        if (requested == RequestedAction.ABORT_AND_ROLL_BACK) {
            return ClusterOutcome.ROLLING_BACK;
        }
        if (requested == RequestedAction.ABORT) {
            return ClusterOutcome.ABORTED;
        }
        if (overBudget || stoppedUnsafe) {
            return autoRollback ? ClusterOutcome.ROLLING_BACK : ClusterOutcome.FAILED;
        }
        return notOnTarget == 0 ? ClusterOutcome.UPDATED : ClusterOutcome.UPDATED_WITH_FAILURES;
    }

    /** How a cluster's rollback ends: rolled back when every member it changed is back, else rollback failed. */
    public static ClusterOutcome rollbackOutcome(int notBack) {
        return notBack == 0 ? ClusterOutcome.ROLLED_BACK : ClusterOutcome.ROLLBACK_FAILED;
    }

    // ---- how an update ends

    /**
     * What the update comes to after its clusters so far, or empty when the next pending cluster may start.
     *
     * @param unfinished   the state of the first cluster that started and did not go through, or null when none
     * @param requested    what an operator asked for, or null
     * @param anyUpdated   some cluster went through (its members are on the new version: a rollback has work)
     * @param anyPending   some cluster has not started
     */
    public static Optional<UpdateOutcome> updateOutcome(
            ClusterProgress unfinished, RequestedAction requested, boolean anyUpdated, boolean anyPending) {
        boolean aborted = requested == RequestedAction.ABORT || requested == RequestedAction.ABORT_AND_ROLL_BACK;
        if (unfinished == null && !aborted) {
            return anyPending ? Optional.empty() : Optional.of(UpdateOutcome.COMPLETED);
        }
        boolean rolledBack = unfinished == ClusterProgress.ROLLED_BACK || unfinished == ClusterProgress.ROLLBACK_FAILED;
        boolean rollBackWanted = requested == RequestedAction.ABORT_AND_ROLL_BACK || rolledBack;
        if (rollBackWanted && anyUpdated) {
            return Optional.of(UpdateOutcome.ROLLING_BACK);
        }
        if (rolledBack) {
            return Optional.of(UpdateOutcome.ROLLED_BACK);
        }
        return Optional.of(aborted ? UpdateOutcome.ABORTED : UpdateOutcome.FAILED);
    }

    /**
     * The state an update is recorded in, from what its flow came to and what is true of its members: COMPLETED only
     * when no member is off the target ({@code someNotOnTarget}: failed or not applied), ROLLED_BACK only when every
     * changed member is back ({@code someNotBack}: still changed, or its rollback failed).
     */
    public static UpdateState endState(UpdateOutcome outcome, boolean someNotOnTarget, boolean someNotBack) {
        return switch (outcome) {
            case COMPLETED -> someNotOnTarget ? UpdateState.COMPLETED_WITH_FAILURES : UpdateState.COMPLETED;
            case ROLLING_BACK, ROLLED_BACK -> someNotBack ? UpdateState.ROLLBACK_FAILED : UpdateState.ROLLED_BACK;
            case PREFLIGHT_FAILED -> UpdateState.PREFLIGHT_FAILED;
            case ABORTED -> UpdateState.ABORTED;
            case FAILED -> UpdateState.FAILED;
        };
    }
}
