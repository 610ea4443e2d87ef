package org.stratos.update.update;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.runtime.ContainerRuntimes;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.ClusterState;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;

/**
 * The decisions of the cluster flows, made from the update record and the topology: which cluster is next, which
 * members form the next batch (never taking the cluster below its healthy floor), whether the failure budget is
 * spent, how a cluster ends, and what a rollback undoes, last batch first.
 */
@Service
@Transactional
public class RolloutService {

    private static final Logger log = LoggerFactory.getLogger(RolloutService.class);

    private final UpdateRepository repository;
    private final CheckedRequests checkedRequests;
    private final TopologyService topology;
    private final Clock clock;

    private final ContainerRuntimes containers;

    RolloutService(
            UpdateRepository repository,
            CheckedRequests checkedRequests,
            TopologyService topology,
            Clock clock,
            ContainerRuntimes containers) {
        this.repository = repository;
        this.checkedRequests = checkedRequests;
        this.topology = topology;
        this.clock = clock;
        this.containers = containers;
    }

    // ---- softwareUpdate

    /** The next cluster to update, or what the update comes to when none is left or one did not end updated. */
    public NextCluster nextCluster(String updateId) {
        List<ClusterRecord> clusters = repository.clusters(updateId);
        UpdateRecord update = checkedRequests.update(updateId);
        ClusterProgress unfinished = clusters.stream()
                .map(ClusterRecord::state)
                .filter(state -> state != ClusterProgress.PENDING && !state.wentThrough())
                .findFirst()
                .orElse(null);
        List<String> updated = clusters.stream()
                .filter(c -> c.state().wentThrough())
                .sorted(Comparator.comparingInt(ClusterRecord::position).reversed())
                .map(ClusterRecord::clusterId)
                .toList();
        ClusterRecord pending = clusters.stream()
                .filter(c -> c.state() == ClusterProgress.PENDING)
                .findFirst()
                .orElse(null);
        UpdateOutcome outcome = RolloutRules.updateOutcome(
                        unfinished, update.requestedAction(), !updated.isEmpty(), pending != null)
                .orElse(null);
        if (outcome == null) {
            return new NextCluster(
                    pending.clusterId(),
                    checkedRequests.settings(updateId).compatible()
                            ? FlowNames.PHASED_CLUSTER_UPDATE
                            : FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE,
                    null,
                    List.of());
        }
        if (outcome == UpdateOutcome.ROLLING_BACK) {
            markRollingBack(update);
        }
        return new NextCluster(null, null, outcome, outcome == UpdateOutcome.COMPLETED ? List.of() : updated);
    }

    private static boolean aborted(UpdateRecord u) {
        return u.requestedAction() == RequestedAction.ABORT
                || u.requestedAction() == RequestedAction.ABORT_AND_ROLL_BACK;
    }

    // ---- both cluster flows

    /** How the cluster's members get the software: {@code agent} (VMs, a batch at a time) or {@code replace}. */
    @Transactional(readOnly = true)
    public String applyMode(String clusterId) {
        return topology.cluster(clusterId).container()
                ? FlowVariables.APPLY_BY_REPLACEMENT
                : FlowVariables.APPLY_BY_AGENT;
    }

    /**
     * Starts a cluster's update: sizes its batches and failure budget from the members to update now. For an
     * all-at-once update every member is the one batch: answers their ids (empty for a phased update).
     */
    public List<String> planCluster(String updateId, String clusterId) {
        UpdateSettings settings = checkedRequests.settings(updateId);
        ClusterRecord record = cluster(updateId, clusterId);
        List<Member> live = liveMembers(clusterId);
        int size = live.size();
        RolloutRules.ClusterSizing sizing = RolloutRules.sizeCluster(
                size,
                settings.compatible(),
                settings.batchSize(),
                settings.maxFailures(),
                settings.minHealthyPercent());
        repository.startCluster(
                updateId,
                clusterId,
                size,
                sizing.batchSize(),
                sizing.failureBudget(),
                sizing.minHealthy(),
                clock.instant());
        if (settings.compatible()) {
            return List.of();
        }
        List<Member> toUpdate = RolloutRules.targets(live, record.toVersion());
        addBatch(updateId, clusterId, 1, toUpdate, record.toVersion());
        repository.setCurrentBatch(updateId, clusterId, 1);
        return ids(toUpdate);
    }

    /** Counts the failures so far against the cluster's budget; true when it is exceeded. */
    public boolean budgetExceeded(String updateId, String clusterId) {
        ClusterRecord c = cluster(updateId, clusterId);
        int failed = repository.countInState(updateId, clusterId, List.of(MemberProgress.FAILED));
        return RolloutRules.budgetExceeded(failed, c.failureBudget());
    }

    /**
     * How the cluster ends, and it is recorded so: updated (every member it targeted Active on the target version),
     * updated with failures (it went through the cluster, but members failed within maxFailures or were not applied:
     * named in the message), to be rolled back, failed, or aborted. The cluster's version and state follow its members.
     */
    public ClusterOutcome concludeCluster(String updateId, String clusterId) {
        ClusterRecord c = cluster(updateId, clusterId);
        UpdateSettings settings = checkedRequests.settings(updateId);
        UpdateRecord update = checkedRequests.update(updateId);
        int failed = repository.countInState(updateId, clusterId, List.of(MemberProgress.FAILED));
        boolean overBudget = RolloutRules.budgetExceeded(failed, c.failureBudget());
        boolean stoppedUnsafe = c.message() != null && c.state() == ClusterProgress.FAILED;
        List<MemberRecord> notOnTarget = repository.members(updateId, clusterId).stream()
                .filter(m -> m.state() == MemberProgress.FAILED || m.state() == MemberProgress.NOT_APPLIED)
                .toList();
        ClusterOutcome outcome = RolloutRules.concludeCluster(
                update.requestedAction(), overBudget, stoppedUnsafe, settings.autoRollback(), notOnTarget.size());
        String message = null;
        if (outcome == ClusterOutcome.UPDATED_WITH_FAILURES) {
            message = notOnTarget.size() + " member(s) not on " + c.toVersion() + ": "
                    + MemberList.of(notOnTarget, RunPhase.UPDATE);
        }
        if (overBudget) {
            message = "more members failed than maxFailures allows (" + failed + " > " + c.failureBudget() + ")";
        }
        repository.setClusterState(
                updateId,
                clusterId,
                ClusterProgress.of(outcome),
                message,
                outcome == ClusterOutcome.ROLLING_BACK ? null : clock.instant());
        if (outcome == ClusterOutcome.ROLLING_BACK) {
            markRollingBack(update);
        } else {
            settle(updateId, clusterId);
        }
        log.info("Update {}: cluster {} {}", updateId, clusterId, outcome);
        return outcome;
    }

    /**
     * Records how the rollback of the cluster's changed members ended: rolled back when every one of them is back on
     * the previous version, rollback failed (naming those that are not) otherwise.
     */
    public ClusterOutcome recordClusterRolledBack(String updateId, String clusterId) {
        ClusterRecord c = cluster(updateId, clusterId);
        List<MemberRecord> members = repository.members(updateId, clusterId);
        List<MemberRecord> notBack = members.stream()
                .filter(m ->
                        m.state() == MemberProgress.ROLLBACK_FAILED || m.state().changed())
                .toList();
        boolean nothingChanged =
                members.stream().noneMatch(m -> m.state() == MemberProgress.ROLLED_BACK) && notBack.isEmpty();
        ClusterOutcome outcome = RolloutRules.rollbackOutcome(notBack.size());
        String note = !notBack.isEmpty()
                ? notBack.size() + " member(s) not back on " + c.fromVersion() + ": "
                        + MemberList.of(notBack, RunPhase.ROLLBACK)
                : nothingChanged ? "no member had changed: nothing to roll back" : null;
        repository.setClusterState(
                updateId,
                clusterId,
                ClusterProgress.of(outcome),
                note == null ? null : c.message() == null ? note : c.message() + "; " + note,
                clock.instant());
        settle(updateId, clusterId);
        log.info("Update {}: cluster {} {}", updateId, clusterId, outcome);
        return outcome;
    }

    /** The update is rolling back (a cluster, or the clusters updated before): shown as such until it ends. */
    private void markRollingBack(UpdateRecord update) {
        repository.compareAndSetState(
                update.id(),
                List.of(
                        UpdateState.RUNNING,
                        UpdateState.PAUSING,
                        UpdateState.PAUSED,
                        UpdateState.ABORTING,
                        UpdateState.WAITING_FOR_APPROVAL),
                UpdateState.ROLLING_BACK,
                update.requestedAction());
    }

    /** The cluster's version and state follow its members; a cluster left without an Active member says so. */
    private void settle(String updateId, String clusterId) {
        noteIfInactive(
                updateId, clusterId, topology.settleCluster(clusterId, updateId).state());
    }

    private void noteIfInactive(String updateId, String clusterId, ClusterState state) {
        if (state == ClusterState.INACTIVE) {
            ClusterRecord c = cluster(updateId, clusterId);
            String note = "no member of the cluster is Active: the cluster is Inactive";
            if (c.message() == null || !c.message().contains(note)) {
                repository.setClusterState(
                        updateId, clusterId, c.state(), c.message() == null ? note : c.message() + "; " + note, null);
            }
        }
    }

    // ---- phased

    /** What a phased cluster does next: a batch, an approval, a pause, stop, or done. */
    public NextStep decideNextStep(String updateId, String clusterId) {
        UpdateRecord update = checkedRequests.update(updateId);
        UpdateSettings settings = checkedRequests.settings(updateId);
        ClusterRecord c = cluster(updateId, clusterId);
        boolean aborted = aborted(update);
        Candidates candidates = aborted ? null : candidates(updateId, c);
        int next = c.currentBatch() + 1;
        RolloutStep step = RolloutRules.nextStep(new RolloutRules.StepFacts(
                aborted,
                update.requestedAction() == RequestedAction.PAUSE,
                aborted ? 0 : candidates.pending().size(),
                RolloutRules.approvalDue(settings.approval(), next, c.approvedBatch()),
                aborted ? 0 : candidates.batch().size()));
        return switch (step) {
            case STOP -> {
                if (aborted) {
                    yield NextStep.stop("aborted by an operator");
                }
                String reason = "only " + candidates.active() + " of "
                        + candidates.live().size()
                        + " members are Active; minHealthyPercent " + settings.minHealthyPercent() + "% requires "
                        + c.minHealthy() + " to stay in service";
                repository.setClusterState(updateId, clusterId, ClusterProgress.FAILED, reason, null);
                yield NextStep.stop(reason);
            }
            case DONE -> NextStep.done();
            case PAUSE -> {
                repository.compareAndSetState(
                        updateId,
                        List.of(UpdateState.PAUSING, UpdateState.RUNNING),
                        UpdateState.PAUSED,
                        RequestedAction.PAUSE);
                yield NextStep.pause();
            }
            case APPROVE -> {
                repository.compareAndSetState(
                        updateId, List.of(UpdateState.RUNNING), UpdateState.WAITING_FOR_APPROVAL, null);
                yield NextStep.approve(next);
            }
            case BATCH -> {
                List<Member> batch = candidates.batch();
                addBatch(updateId, clusterId, next, batch, c.toVersion());
                repository.setCurrentBatch(updateId, clusterId, next);
                log.info("Update {}: cluster {} batch {} with {} members", updateId, clusterId, next, batch.size());
                yield NextStep.batch(next, ids(batch), settings.bakeTime());
            }
        };
    }

    /**
     * The members the next batch of the update's current (phased) cluster would take if it started now, as
     * {@link #decideNextStep} picks them: what an operator approves at the gate. Empty when no cluster is running,
     * the update is all at once, or no member can go now.
     */
    @Transactional(readOnly = true)
    public NextBatch nextBatch(String updateId) {
        UpdateRecord update = checkedRequests.update(updateId);
        ClusterRecord c = update.state().ended()
                ? null
                : repository.clusters(updateId).stream()
                        .filter(r -> r.state() == ClusterProgress.RUNNING)
                        .findFirst()
                        .orElse(null);
        if (c == null || !checkedRequests.settings(updateId).compatible()) {
            return new NextBatch(updateId, null, 0, List.of());
        }
        return new NextBatch(
                updateId,
                c.clusterId(),
                c.currentBatch() + 1,
                candidates(updateId, c).batch().stream()
                        .map(m -> new NextBatch.BatchMember(m.id(), m.version()))
                        .toList());
    }

    /** What {@link #nextBatch} found. */
    public record NextBatch(String updateId, String clusterId, int batch, List<BatchMember> members) {

        /** A member of the next batch, on the version it has now. */
        public record BatchMember(String memberId, String version) {}
    }

    /**
     * The members a phased cluster's next batch is taken from: every member not Active on the target version (Suspended
     * ones included) that no batch of this update has taken yet; at most {@code batchSize} of them, never so many
     * Active ones that fewer than {@code minHealthy} members stay Active.
     */
    private Candidates candidates(String updateId, ClusterRecord c) {
        List<Member> live = liveMembers(c.clusterId());
        Set<String> touched = repository.members(updateId, c.clusterId()).stream()
                .filter(m -> m.batchNumber() > 0)
                .flatMap(m -> Stream.of(m.memberId(), m.current()))
                .collect(Collectors.toSet());
        List<Member> pending = RolloutRules.targets(live, c.toVersion()).stream()
                .filter(m -> !touched.contains(m.id()))
                .toList();
        long active = live.stream().filter(m -> m.state() == MemberState.ACTIVE).count();
        return new Candidates(live, pending, active, c.batchSize(), c.minHealthy());
    }

    private record Candidates(List<Member> live, List<Member> pending, long active, int batchSize, int minHealthy) {

        /** The next batch under the healthy floor: {@link RolloutRules#nextBatch}. */
        List<Member> batch() {
            return RolloutRules.nextBatch(pending, active, batchSize, minHealthy);
        }
    }

    /** An operator approved batch {@code batch} (through the API or Tasklist): the update runs on. */
    public void recordApproval(String updateId, String clusterId, int batch) {
        if (aborted(checkedRequests.update(updateId))) {
            return; // an abort completed the approval task: nobody approved anything
        }
        repository.setApprovedBatch(updateId, clusterId, batch);
        repository.compareAndSetState(updateId, List.of(UpdateState.WAITING_FOR_APPROVAL), UpdateState.RUNNING, null);
        log.info("Update {}: batch {} of cluster {} approved", updateId, batch, clusterId);
    }

    // ---- pre-flight (softwareUpdate, before the first cluster)

    /**
     * The members a pre-flight checks: in every VM cluster of the update, each member the update will target (see
     * {@link #targets}). They are recorded (batch 0, progress PENDING) so that their results show before any batch;
     * answers their ids. Container clusters have no no-op mode and are not checked.
     */
    public List<String> planPreflight(String updateId) {
        List<String> checked = new ArrayList<>();
        for (ClusterRecord c : repository.clusters(updateId)) {
            if (topology.cluster(c.clusterId()).container()) {
                continue;
            }
            Set<String> recorded = repository.members(updateId, c.clusterId()).stream()
                    .map(MemberRecord::memberId)
                    .collect(Collectors.toSet());
            List<Member> targets = RolloutRules.targets(liveMembers(c.clusterId()), c.toVersion()).stream()
                    .filter(m -> !recorded.contains(m.id()))
                    .toList();
            addBatch(updateId, c.clusterId(), 0, targets, c.toVersion());
            checked.addAll(recorded);
            checked.addAll(ids(targets));
        }
        log.info("Update {}: pre-flight of {} members", updateId, checked.size());
        return checked;
    }

    /** Whether every member the pre-flight checked passed; if not the update stops before any member changes. */
    @Transactional(readOnly = true)
    public boolean preflightPassed(String updateId) {
        return repository.members(updateId).stream()
                .filter(m -> m.preflight() != null)
                .allMatch(m -> m.preflight() == PreflightResult.PASSED);
    }

    // ---- rollback

    /** The batches to roll back in the cluster, last first. */
    public List<Integer> rollbackBatches(String updateId, String clusterId) {
        return repository.members(updateId, clusterId).stream()
                .filter(m -> m.state().changed())
                .map(MemberRecord::batchNumber)
                .distinct()
                .sorted(Comparator.reverseOrder())
                .toList();
    }

    /** The members of one batch the update changed (updated, or failed half-way). */
    public List<String> rollbackMembers(String updateId, String clusterId, int batch) {
        return repository.batch(updateId, clusterId, batch).stream()
                .filter(m -> m.state().changed())
                .map(MemberRecord::memberId)
                .toList();
    }

    // ---- helpers

    private ClusterRecord cluster(String updateId, String clusterId) {
        return repository
                .cluster(updateId, clusterId)
                .orElseThrow(() ->
                        new IllegalStateException("update '" + updateId + "' has no cluster '" + clusterId + "'"));
    }

    private List<Member> liveMembers(String clusterId) {
        return topology.members(clusterId).stream()
                .filter(m -> m.state() != MemberState.TERMINATED)
                .toList();
    }

    private void addBatch(String updateId, String clusterId, int batch, List<Member> members, String toVersion) {
        repository.insertMembers(
                updateId,
                clusterId,
                batch,
                ids(members),
                members.stream().map(Member::version).toList(),
                toVersion);
    }

    private static List<String> ids(List<Member> members) {
        return new ArrayList<>(members.stream().map(Member::id).toList());
    }

    /** What {@link #nextCluster} found. {@code outcome} is set when no cluster is next. */
    public record NextCluster(String clusterId, String flow, UpdateOutcome outcome, List<String> clustersToRollBack) {}

    /** What {@link #decideNextStep} decided. */
    public record NextStep(RolloutStep step, int batchNumber, List<String> members, Duration bakeTime, String reason) {

        static NextStep batch(int number, List<String> members, Duration bake) {
            return new NextStep(RolloutStep.BATCH, number, members, bake, null);
        }

        static NextStep done() {
            return new NextStep(RolloutStep.DONE, 0, List.of(), Duration.ZERO, null);
        }

        static NextStep pause() {
            return new NextStep(RolloutStep.PAUSE, 0, List.of(), Duration.ZERO, null);
        }

        static NextStep approve(int next) {
            return new NextStep(RolloutStep.APPROVE, next, List.of(), Duration.ZERO, null);
        }

        static NextStep stop(String reason) {
            return new NextStep(RolloutStep.STOP, 0, List.of(), Duration.ZERO, reason);
        }
    }

    /**
     * Takes the cluster down for an all-at-once update: state Patching, announced. A container cluster's old members
     * are all removed here (Updating, then Terminated, their pods deleted) before any replacement starts, so the new
     * image never runs beside the old one; each member's flow then only starts its replacement.
     */
    public void announcePatching(String updateId, String clusterId) {
        Cluster cluster = topology.cluster(clusterId);
        topology.changeClusterState(clusterId, ClusterState.PATCHING, updateId);
        if (!cluster.container()) {
            return;
        }
        for (MemberRecord rec : repository.members(updateId, clusterId)) {
            Member old = topology.member(rec.current());
            if (old.state() == MemberState.ACTIVE) {
                topology.startUpdating(old.id(), rec.toVersion(), "all-at-once update " + updateId, updateId);
                topology.changeMemberState(
                        old.id(),
                        MemberState.TERMINATED,
                        null,
                        "taken down with the whole cluster by update " + updateId,
                        updateId);
                containers.of(cluster).removeMember(cluster, old.id());
            }
        }
    }

    /**
     * Ends the cluster's Patching: Active again when a member serves, Inactive (announced, and said in the cluster's
     * record) when none does. Answers how the cluster's update ended, as recorded.
     */
    public ClusterOutcome bringClusterBack(String updateId, String clusterId) {
        Cluster cluster = topology.settleCluster(clusterId, updateId); // its version first: the event announces it
        if (cluster.state() == ClusterState.PATCHING) {
            boolean serving = liveMembers(clusterId).stream().anyMatch(m -> m.state() == MemberState.ACTIVE);
            cluster = topology.changeClusterState(
                    clusterId, serving ? ClusterState.ACTIVE : ClusterState.INACTIVE, updateId);
        }
        noteIfInactive(updateId, clusterId, cluster.state());
        return cluster(updateId, clusterId).state().outcome();
    }
}
