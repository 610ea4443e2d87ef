package org.stratos.update.update;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.messaging.EventPublisher;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.runtime.ContainerRuntime;
import org.stratos.update.runtime.ContainerRuntimes;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;

/**
 * The steps of {@code memberUpdate}, for one member (its place in the update, {@code memberId}) going to the target
 * version, or back to the previous one when {@code rollback}. Each step is safe to repeat: the engine retries steps
 * that fail for technical reasons.
 */
@Service
@Transactional(noRollbackFor = MemberFailure.class) // a failed member is a business outcome the flow goes on with
public class MemberUpdateService {

    private static final Logger log = LoggerFactory.getLogger(MemberUpdateService.class);
    private static final Duration MARGIN = Duration.ofMinutes(1);

    private final UpdateRepository repository;
    private final UpdateStore store;
    private final TopologyService topology;
    private final EventPublisher events;
    private final ContainerRuntimes containers;
    private final Clock clock;
    private final Duration resendInterval;

    MemberUpdateService(UpdateRepository repository, UpdateStore store, TopologyService topology, EventPublisher events,
                        ContainerRuntimes containers, Clock clock,
                        @Value("${stratos.update.resend-interval:PT1M}") Duration resendInterval) {
        this.repository = repository;
        this.store = store;
        this.topology = topology;
        this.events = events;
        this.containers = containers;
        this.clock = clock;
        this.resendInterval = resendInterval;
    }

    /** Marks the member Updating (a replaced container whose place is empty has nothing to mark). */
    public MemberPlan markUpdating(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        UpdateSettings settings = store.settings(updateId);
        Member member = topology.member(rec.current());
        String target = target(rec, rollback);
        boolean live = member.state() != MemberState.TERMINATED;
        if (member.state() == MemberState.ACTIVE || member.state() == MemberState.SUSPENDED) {
            topology.startUpdating(member.id(), target, (rollback ? "rollback of update " : "update ") + updateId
                    + " to " + target, updateId);
        } else if (live && member.state() != MemberState.UPDATING) {
            throw new IllegalStateException("member '" + member.id() + "' is " + member.state()
                    + " and cannot be updated now");
        }
        repository.startMember(updateId, memberId, rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING,
                clock.instant());
        Duration apply = settings.updateTimeout().plus(settings.healthTimeout()).plus(settings.minHealthyTime())
                .plus(MARGIN);
        // surge only in phased updates: an all-at-once update takes every old member down before the new ones come
        boolean surge = cluster.container() && settings.compatible() && settings.surge() && live;
        return new MemberPlan(cluster.container(), surge, apply,
                settings.healthTimeout(), settings.minHealthyTime(), resendInterval);
    }

    /** Sends the command to the member's agent; it leaves the broker when this transaction commits. */
    public void sendCommand(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        UpdateSettings settings = store.settings(updateId);
        events.sendCommand(new SoftwareUpdateEvent(updateId, cluster.applicationId(), cluster.cartridgeType(),
                cluster.id(), rec.current(), target(rec, rollback), rollback ? rec.toVersion() : rec.fromVersion(),
                rollback, settings.healthTimeout().toString(), settings.minHealthyTime().toString()));
    }

    /**
     * The agent's verdict (its details are in the member's record already): a failure ends the member's update as
     * failed and is a {@link MemberFailure} the flow catches.
     */
    public void checkReport(String updateId, String memberId, boolean rollback, boolean success) {
        if (success) {
            return;
        }
        String reason = record(updateId, memberId).message();
        repository.finishMember(updateId, memberId, rollback ? MemberProgress.ROLLBACK_FAILED : MemberProgress.FAILED,
                null, reason, null, clock.instant());
        throw new MemberFailure(FlowNames.ERROR_AGENT_REPORTED_FAILURE, reason == null ? "the agent reported a failure"
                : reason);
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
        String replacement = runtime.startMember(cluster, target(rec, rollback), updateId);
        repository.setReplacement(updateId, memberId, replacement);
        repository.setMessage(updateId, memberId, "replacement " + replacement + " starting");
    }

    /** Checks the replacement is still ready after minHealthyTime; if not, a {@link MemberFailure}. */
    public void verifyReplacement(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        if (!containers.of(cluster).isHealthy(cluster, rec.replacementMemberId())) {
            throw new MemberFailure(FlowNames.ERROR_MEMBER_UNHEALTHY, "replacement " + rec.replacementMemberId()
                    + " did not stay ready for " + store.settings(updateId).minHealthyTime());
        }
    }

    /** The member is Active on the target version: the update of this member is done. */
    public void markUpdated(String updateId, String memberId, boolean rollback) {
        MemberRecord rec = record(updateId, memberId);
        String target = target(rec, rollback);
        if (rec.replacementMemberId() != null) {
            repository.setCurrentMember(updateId, memberId, rec.replacementMemberId());
        } else {
            topology.changeMemberState(rec.current(), MemberState.ACTIVE, target,
                    (rollback ? "rolled back to " : "updated to ") + target, updateId);
        }
        repository.finishMember(updateId, memberId, rollback ? MemberProgress.ROLLED_BACK : MemberProgress.UPDATED,
                null, (rollback ? "rolled back to " : "updated to ") + target, null, clock.instant());
        log.debug("Update {}: member {} {}", updateId, memberId, rollback ? "rolled back" : "updated");
    }

    /**
     * The member failed: an agent's member is Suspended (out of service); a failed replacement is removed and, with
     * surge, the old member serves on. {@code cause} names the failure path taken, {@code reason} the details.
     */
    public void markFailed(String updateId, String memberId, boolean rollback, String cause, String reason) {
        MemberRecord rec = record(updateId, memberId);
        Cluster cluster = topology.cluster(rec.clusterId());
        String why = describe(cause, reason, store.settings(updateId));
        if (rec.replacementMemberId() != null) {
            retireFailedReplacement(updateId, cluster, rec.replacementMemberId(), why);
            repository.setReplacement(updateId, memberId, null);
        }
        Member current = topology.member(rec.current());
        if (current.state() == MemberState.UPDATING) {
            boolean stillServing = cluster.container();
            topology.changeMemberState(current.id(), stillServing ? MemberState.ACTIVE : MemberState.SUSPENDED, null,
                    why, updateId);
        }
        repository.finishMember(updateId, memberId, rollback ? MemberProgress.ROLLBACK_FAILED : MemberProgress.FAILED,
                null, why, null, clock.instant());
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
            case "noAgentReport" -> "no report from the agent within " + settings.updateTimeout().plus(
                    settings.healthTimeout()).plus(settings.minHealthyTime()).plus(MARGIN);
            case "replacementNotReady" -> "the replacement was not ready within " + settings.healthTimeout();
            default -> reason == null ? cause : reason;
        };
    }

    private MemberRecord record(String updateId, String memberId) {
        return repository.member(updateId, memberId).orElseThrow(() -> new IllegalStateException(
                "update '" + updateId + "' has no member '" + memberId + "'"));
    }

    private static String target(MemberRecord rec, boolean rollback) {
        return rollback ? rec.fromVersion() : rec.toVersion();
    }
}
