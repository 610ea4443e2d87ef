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
    private final UpdateStore store;
    private final TopologyService topology;
    private final Clock clock;

    private final ContainerRuntimes containers;

    RolloutService(UpdateRepository repository, UpdateStore store, TopologyService topology, Clock clock,
                   ContainerRuntimes containers) {
        this.repository = repository;
        this.store = store;
        this.topology = topology;
        this.clock = clock;
        this.containers = containers;
    }

    // ---- softwareUpdate

    /** The next cluster to update, or what the update comes to when none is left or one did not end updated. */
    public NextCluster nextCluster(String updateId) {
        List<ClusterRecord> clusters = repository.clusters(updateId);
        UpdateRecord update = store.update(updateId);
        ClusterRecord unfinished = clusters.stream()
                .filter(c -> c.state() != ClusterOutcome.PENDING && c.state() != ClusterOutcome.UPDATED)
                .findFirst().orElse(null);
        List<String> updated = clusters.stream().filter(c -> c.state() == ClusterOutcome.UPDATED)
                .sorted(Comparator.comparingInt(ClusterRecord::position).reversed())
                .map(ClusterRecord::clusterId).toList();
        boolean rollBackWanted = update.requestedAction() == RequestedAction.ABORT_AND_ROLL_BACK
                || (unfinished != null && unfinished.state() == ClusterOutcome.ROLLED_BACK);
        if (unfinished != null || aborted(update)) {
            String outcome = rollBackWanted && !updated.isEmpty() ? "ROLLING_BACK"
                    : unfinished != null && unfinished.state() == ClusterOutcome.ROLLED_BACK ? "ROLLED_BACK"
                    : aborted(update) ? "ABORTED" : "FAILED";
            return new NextCluster(null, null, outcome, updated);
        }
        return clusters.stream().filter(c -> c.state() == ClusterOutcome.PENDING).findFirst()
                .map(c -> new NextCluster(c.clusterId(), store.settings(updateId).compatible()
                        ? FlowNames.PHASED_CLUSTER_UPDATE : FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE, null, List.of()))
                .orElse(new NextCluster(null, null, "COMPLETED", List.of()));
    }

    private static boolean aborted(UpdateRecord u) {
        return u.requestedAction() == RequestedAction.ABORT || u.requestedAction() == RequestedAction.ABORT_AND_ROLL_BACK;
    }

    // ---- both cluster flows

    /** How the cluster's members get the software: {@code agent} (VMs, a batch at a time) or {@code replace}. */
    @Transactional(readOnly = true)
    public String applyMode(String clusterId) {
        return topology.cluster(clusterId).container() ? FlowVariables.APPLY_BY_REPLACEMENT : FlowVariables.APPLY_BY_AGENT;
    }

    /**
     * Starts a cluster's update: sizes its batches and failure budget from the members to update now. For an
     * all-at-once update every member is the one batch: answers their ids (empty for a phased update).
     */
    public List<String> planCluster(String updateId, String clusterId) {
        UpdateSettings settings = store.settings(updateId);
        ClusterRecord record = cluster(updateId, clusterId);
        List<Member> live = liveMembers(clusterId);
        int size = live.size();
        repository.startCluster(updateId, clusterId, size, settings.compatible() ? settings.batchFor(size) : size,
                settings.failureBudgetFor(size), settings.compatible() ? settings.minHealthyFor(size) : 0,
                clock.instant());
        if (settings.compatible()) {
            return List.of();
        }
        List<Member> toUpdate = live.stream().filter(m -> m.state() == MemberState.ACTIVE).toList();
        addBatch(updateId, clusterId, 1, toUpdate, record.toVersion());
        repository.setCurrentBatch(updateId, clusterId, 1);
        return ids(toUpdate);
    }

    /** Counts the failures so far against the cluster's budget; true when it is exceeded. */
    public boolean budgetExceeded(String updateId, String clusterId) {
        ClusterRecord c = cluster(updateId, clusterId);
        int failed = repository.countInState(updateId, clusterId, List.of(MemberProgress.FAILED));
        return failed > c.failureBudget();
    }

    /** How the cluster ends: updated, to be rolled back, failed or aborted (and it is recorded so). */
    public ClusterOutcome concludeCluster(String updateId, String clusterId) {
        ClusterRecord c = cluster(updateId, clusterId);
        UpdateSettings settings = store.settings(updateId);
        UpdateRecord update = store.update(updateId);
        boolean overBudget = budgetExceeded(updateId, clusterId);
        boolean stoppedUnsafe = c.message() != null && c.state() == ClusterOutcome.FAILED;
        ClusterOutcome outcome;
        if (update.requestedAction() == RequestedAction.ABORT_AND_ROLL_BACK) {
            outcome = ClusterOutcome.ROLLING_BACK;
        } else if (update.requestedAction() == RequestedAction.ABORT) {
            outcome = ClusterOutcome.ABORTED;
        } else if (overBudget || stoppedUnsafe) {
            outcome = settings.autoRollback() ? ClusterOutcome.ROLLING_BACK : ClusterOutcome.FAILED;
        } else {
            outcome = ClusterOutcome.UPDATED;
            topology.setClusterVersion(clusterId, c.toVersion());
        }
        String message = overBudget ? "more members failed than maxFailures allows ("
                + repository.countInState(updateId, clusterId, List.of(MemberProgress.FAILED)) + " > "
                + c.failureBudget() + ")" : null;
        repository.setClusterState(updateId, clusterId, outcome, message,
                outcome == ClusterOutcome.ROLLING_BACK ? null : clock.instant());
        log.info("Update {}: cluster {} {}", updateId, clusterId, outcome);
        return outcome;
    }

    /** Records that the cluster's changed members went back to the previous version. */
    public void recordClusterRolledBack(String updateId, String clusterId) {
        repository.setClusterState(updateId, clusterId, ClusterOutcome.ROLLED_BACK, null, clock.instant());
        topology.setClusterVersion(clusterId, cluster(updateId, clusterId).fromVersion());
    }

    // ---- phased

    /** What a phased cluster does next: a batch, an approval, a pause, stop, or done. */
    public NextStep decideNextStep(String updateId, String clusterId) {
        UpdateRecord update = store.update(updateId);
        UpdateSettings settings = store.settings(updateId);
        ClusterRecord c = cluster(updateId, clusterId);
        if (aborted(update)) {
            return NextStep.stop("aborted by an operator");
        }
        Candidates candidates = candidates(updateId, c);
        List<Member> live = candidates.live();
        List<Member> pending = candidates.pending();
        if (pending.isEmpty()) {
            return NextStep.done();
        }
        if (update.requestedAction() == RequestedAction.PAUSE) {
            repository.compareAndSetState(updateId, List.of(UpdateState.PAUSING, UpdateState.RUNNING),
                    UpdateState.PAUSED, RequestedAction.PAUSE);
            return NextStep.pause();
        }
        int next = c.currentBatch() + 1;
        if (settings.approval().before(next) && c.approvedBatch() < next) {
            repository.compareAndSetState(updateId, List.of(UpdateState.RUNNING), UpdateState.WAITING_FOR_APPROVAL,
                    null);
            return NextStep.approve(next);
        }
        long active = candidates.active();
        int room = candidates.room();
        if (room <= 0) {
            String reason = "only " + active + " of " + live.size() + " members are Active; minHealthyPercent "
                    + settings.minHealthyPercent() + "% requires " + c.minHealthy() + " to stay in service";
            repository.setClusterState(updateId, clusterId, ClusterOutcome.FAILED, reason, null);
            return NextStep.stop(reason);
        }
        List<Member> batch = candidates.batch();
        addBatch(updateId, clusterId, next, batch, c.toVersion());
        repository.setCurrentBatch(updateId, clusterId, next);
        log.info("Update {}: cluster {} batch {} with {} members", updateId, clusterId, next, batch.size());
        return NextStep.batch(next, ids(batch), settings.bakeTime());
    }

    /**
     * The members the next batch of the update's current (phased) cluster would take if it started now, as
     * {@link #decideNextStep} picks them: what an operator approves at the gate. Empty when no cluster is running,
     * the update is all at once, or no member can go now.
     */
    @Transactional(readOnly = true)
    public NextBatch nextBatch(String updateId) {
        UpdateRecord update = store.update(updateId);
        ClusterRecord c = update.state().ended() ? null : repository.clusters(updateId).stream()
                .filter(r -> r.state() == ClusterOutcome.RUNNING).findFirst().orElse(null);
        if (c == null || !store.settings(updateId).compatible()) {
            return new NextBatch(updateId, null, 0, List.of());
        }
        return new NextBatch(updateId, c.clusterId(), c.currentBatch() + 1, candidates(updateId, c).batch().stream()
                .map(m -> new NextBatch.BatchMember(m.id(), m.version())).toList());
    }

    /** What {@link #nextBatch} found. */
    public record NextBatch(String updateId, String clusterId, int batch, List<BatchMember> members) {

        /** A member of the next batch, on the version it has now. */
        public record BatchMember(String memberId, String version) {
        }
    }

    /**
     * The members a phased cluster's next batch is taken from: Active, not touched yet, not on the target version;
     * at most {@code batchSize} of them, never so many that fewer than {@code minHealthy} members stay Active.
     */
    private Candidates candidates(String updateId, ClusterRecord c) {
        List<Member> live = liveMembers(c.clusterId());
        Set<String> touched = repository.members(updateId, c.clusterId()).stream()
                .flatMap(m -> Stream.of(m.memberId(), m.current())).collect(Collectors.toSet());
        List<Member> pending = live.stream()
                .filter(m -> m.state() == MemberState.ACTIVE && !touched.contains(m.id())
                        && !c.toVersion().equals(m.version()))
                .toList();
        long active = live.stream().filter(m -> m.state() == MemberState.ACTIVE).count();
        return new Candidates(live, pending, active, (int) Math.min(c.batchSize(), active - c.minHealthy()));
    }

    private record Candidates(List<Member> live, List<Member> pending, long active, int room) {

        List<Member> batch() {
            return room <= 0 ? List.of() : pending.subList(0, Math.min(room, pending.size()));
        }
    }

    /** An operator approved batch {@code batch} (through the API or Tasklist): the update runs on. */
    public void recordApproval(String updateId, String clusterId, int batch) {
        if (aborted(store.update(updateId))) {
            return; // an abort completed the approval task: nobody approved anything
        }
        repository.setApprovedBatch(updateId, clusterId, batch);
        repository.compareAndSetState(updateId, List.of(UpdateState.WAITING_FOR_APPROVAL), UpdateState.RUNNING, null);
        log.info("Update {}: batch {} of cluster {} approved", updateId, batch, clusterId);
    }

    // ---- rollback

    /** The batches to roll back in the cluster, last first. */
    public List<Integer> rollbackBatches(String updateId, String clusterId) {
        return repository.members(updateId, clusterId).stream().filter(m -> m.state().changed())
                .map(MemberRecord::batchNumber).distinct().sorted(Comparator.reverseOrder()).toList();
    }

    /** The members of one batch the update changed (updated, or failed half-way). */
    public List<String> rollbackMembers(String updateId, String clusterId, int batch) {
        return repository.batch(updateId, clusterId, batch).stream().filter(m -> m.state().changed())
                .map(MemberRecord::memberId).toList();
    }

    // ---- helpers

    private ClusterRecord cluster(String updateId, String clusterId) {
        return repository.cluster(updateId, clusterId).orElseThrow(() -> new IllegalStateException(
                "update '" + updateId + "' has no cluster '" + clusterId + "'"));
    }

    private List<Member> liveMembers(String clusterId) {
        return topology.members(clusterId).stream().filter(m -> m.state() != MemberState.TERMINATED).toList();
    }

    private void addBatch(String updateId, String clusterId, int batch, List<Member> members, String toVersion) {
        repository.insertMembers(updateId, clusterId, batch, ids(members),
                members.stream().map(Member::version).toList(), toVersion);
    }

    private static List<String> ids(List<Member> members) {
        return new ArrayList<>(members.stream().map(Member::id).toList());
    }

    /** What {@link #nextCluster} found. {@code outcome} is set when no cluster is next. */
    public record NextCluster(String clusterId, String flow, String outcome, List<String> clustersToRollBack) {
    }

    /** What {@link #decideNextStep} decided. */
    public record NextStep(String step, int batchNumber, List<String> members, Duration bakeTime, String reason) {

        static NextStep batch(int number, List<String> members, Duration bake) {
            return new NextStep("batch", number, members, bake, null);
        }

        static NextStep done() {
            return new NextStep("done", 0, List.of(), Duration.ZERO, null);
        }

        static NextStep pause() {
            return new NextStep("pause", 0, List.of(), Duration.ZERO, null);
        }

        static NextStep approve(int next) {
            return new NextStep("approve", next, List.of(), Duration.ZERO, null);
        }

        static NextStep stop(String reason) {
            return new NextStep("stop", 0, List.of(), Duration.ZERO, reason);
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
                topology.changeMemberState(old.id(), MemberState.TERMINATED, null,
                        "taken down with the whole cluster by update " + updateId, updateId);
                containers.of(cluster).removeMember(cluster, old.id());
            }
        }
    }

    public void bringClusterBack(String updateId, String clusterId) {
        topology.changeClusterState(clusterId, ClusterState.ACTIVE, updateId);
    }
}
