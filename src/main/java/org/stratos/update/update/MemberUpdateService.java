package org.stratos.update.update;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.runtime.ContainerRuntime;
import org.stratos.update.runtime.ContainerRuntimes;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;

/**
 * The steps of {@code memberUpdate}, for one container member (its place in the update, {@code memberId}) replaced by
 * one on the target image, or on the previous one when {@code rollback}. (Members on VMs are updated a batch at a
 * time by their agents: {@link AgentBatchService}.) Each step is safe to repeat: the engine retries steps
 * that fail for technical reasons.
 */
@Service
@Transactional(noRollbackFor = MemberFailure.class) // a failed member is a business outcome the flow goes on with
public class MemberUpdateService {

    private static final Logger log = LoggerFactory.getLogger(MemberUpdateService.class);

    private final UpdateRepository repository;
    private final CheckedRequests checkedRequests;
    private final TopologyService topology;
    private final ContainerRuntimes containers;
    private final Clock clock;

    MemberUpdateService(
            UpdateRepository repository,
            CheckedRequests checkedRequests,
            TopologyService topology,
            ContainerRuntimes containers,
            Clock clock) {
        this.repository = repository;
        this.checkedRequests = checkedRequests;
        this.topology = topology;
        this.containers = containers;
        this.clock = clock;
    }

    /** Marks the member Updating (a replaced container whose place is empty has nothing to mark). */
    public MemberPlan markUpdating(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        UpdateSettings settings = checkedRequests.settings(updateId);
        Member member = topology.member(rec.current());
        String target = target(rec, rollback);
        boolean live = member.state() != MemberState.TERMINATED;
        if (member.state() == MemberState.ACTIVE || member.state() == MemberState.SUSPENDED) {
            topology.startUpdating(
                    member.id(),
                    target,
                    (rollback ? "rollback of update " : "update ") + updateId + " to " + target,
                    updateId);
        } else if (live && member.state() != MemberState.UPDATING) {
            throw new IllegalStateException(
                    "member '" + member.id() + "' is " + member.state() + " and cannot be updated now");
        }
        repository.startMember(
                updateId, memberId, rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING, clock.instant());
        // surge only in phased updates: an all-at-once update takes every old member down before the new ones come
        boolean surge = cluster.container() && settings.compatible() && settings.surge() && live;
        return new MemberPlan(surge, settings.healthTimeout(), settings.minHealthyTime());
    }

    /** Removes the member holding the place (a container), before or after its replacement. */
    public void retireCurrent(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Member old = topology.member(rec.current());
        if (old.state() == MemberState.TERMINATED) {
            return;
        }
        Cluster cluster = topology.cluster(rec.clusterId());
        topology.changeMemberState(old.id(), MemberState.TERMINATED, null, "replaced by update " + updateId, updateId);
        containers.of(cluster).removeMember(cluster, old.id());
    }

    /** Starts the container that is to take the member's place, on the target image. */
    public void startReplacement(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        ContainerRuntime runtime = containers.of(cluster);
        String replacement = runtime.startMember(cluster, target(rec, rollback), updateId, memberId);
        repository.setReplacement(updateId, memberId, replacement);
        repository.setMessage(
                updateId,
                memberId,
                rollback ? RunPhase.ROLLBACK : RunPhase.UPDATE,
                "replacement " + replacement + " starting");
    }

    /** Checks the replacement is still ready after minHealthyTime; if not, a {@link MemberFailure}. */
    public void verifyReplacement(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        if (!containers.of(cluster).isHealthy(cluster, rec.replacementMemberId())) {
            throw new MemberFailure(
                    FlowNames.ERROR_MEMBER_UNHEALTHY,
                    "replacement " + rec.replacementMemberId() + " did not stay ready for "
                            + checkedRequests.settings(updateId).minHealthyTime());
        }
    }

    /** The member is Active on the target version: the update of this member is done. */
    public void markUpdated(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        String target = target(rec, rollback);
        if (rec.replacementMemberId() != null) {
            repository.setCurrentMember(updateId, memberId, rec.replacementMemberId());
        } else {
            topology.changeMemberState(
                    rec.current(),
                    MemberState.ACTIVE,
                    target,
                    (rollback ? "rolled back to " : "updated to ") + target,
                    updateId);
        }
        repository.finishMember(
                updateId,
                memberId,
                rollback ? MemberProgress.ROLLED_BACK : MemberProgress.UPDATED,
                null,
                (rollback ? "rolled back to " : "updated to ") + target,
                null,
                clock.instant());
        log.debug("Update {}: member {} {}", updateId, memberId, rollback ? "rolled back" : "updated");
    }

    /**
     * The member failed: an agent's member is Suspended (out of service); a failed replacement is removed and, with
     * surge, the old member serves on. {@code cause} names the failure path taken, {@code reason} the details.
     */
    public void markFailed(String updateId, String memberId, boolean rollback, String cause, String reason) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        String why = describe(cause, reason, checkedRequests.settings(updateId));
        if (rec.replacementMemberId() != null) {
            retireFailedReplacement(updateId, cluster, rec.replacementMemberId(), why);
            repository.setReplacement(updateId, memberId, null);
        }
        Member current = topology.member(rec.current());
        if (current.state() == MemberState.UPDATING) {
            boolean stillServing = cluster.container();
            topology.changeMemberState(
                    current.id(), stillServing ? MemberState.ACTIVE : MemberState.SUSPENDED, null, why, updateId);
        }
        repository.finishMember(
                updateId,
                memberId,
                rollback ? MemberProgress.ROLLBACK_FAILED : MemberProgress.FAILED,
                null,
                why,
                null,
                clock.instant());
        log.warn("Update {}: member {} failed: {}", updateId, memberId, why);
    }

    private void retireFailedReplacement(String updateId, Cluster cluster, String replacementId, String why) {
        topology.memberIfPresent(replacementId).ifPresent(m -> {
            if (m.state() == MemberState.ACTIVE) {
                // it got ready after the flow stopped waiting: out of service first, as the table wants
                topology.changeMemberState(m.id(), MemberState.SUSPENDED, null, why, updateId);
            }
            if (m.state() != MemberState.TERMINATED) {
                topology.changeMemberState(m.id(), MemberState.TERMINATED, null, why, updateId);
            }
        });
        containers.of(cluster).removeMember(cluster, replacementId);
    }

    private static String describe(String cause, String reason, UpdateSettings settings) {
        if (cause == null) {
            return reason == null ? "failed" : reason;
        }
        return switch (cause) {
            case "replacementNotReady" -> "the replacement was not ready within " + settings.healthTimeout();
            default -> reason == null ? cause : reason;
        };
    }

    private MemberRecord record(String updateId, String memberId) {
        return repository
                .member(updateId, memberId)
                .orElseThrow(
                        () -> new IllegalStateException("update '" + updateId + "' has no member '" + memberId + "'"));
    }

    private static String target(MemberRecord rec, boolean rollback) {
        return rollback ? rec.fromVersion() : rec.toVersion();
    }
}
