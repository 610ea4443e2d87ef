package org.stratos.update.update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.messaging.EventPublisher;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.update.UpdateRepository.AgentBatch;
import org.stratos.update.update.UpdateRepository.MemberEnd;

/**
 * The steps of {@code batchUpdate} for members on VMs: a batch of members (identified by the flow's process instance,
 * {@code batchId}) is marked Updating and sent its commands together, the flow waits once for every agent's report,
 * and the outcomes are recorded together. Each member's outcome is its own — a failed member is taken out of service
 * and counted by the cluster flow, it does not fail the batch. Each step is safe to repeat.
 */
@Service
@Transactional
public class AgentBatchService {

    private static final Logger log = LoggerFactory.getLogger(AgentBatchService.class);
    /** Added to the time an agent may take (update, health, minHealthyTime) before the batch stops waiting. */
    static final Duration MARGIN = Duration.ofMinutes(1);

    private final UpdateRepository repository;
    private final UpdateStore store;
    private final TopologyService topology;
    private final EventPublisher events;
    private final Clock clock;
    private final Duration resendInterval;

    AgentBatchService(UpdateRepository repository, UpdateStore store, TopologyService topology, EventPublisher events,
                      Clock clock, @Value("${stratos.update.resend-interval:PT1M}") Duration resendInterval) {
        this.repository = repository;
        this.store = store;
        this.topology = topology;
        this.events = events;
        this.clock = clock;
        this.resendInterval = resendInterval;
    }

    /** How a batch waiting for its agents stands. */
    public enum Wait {
        /** every agent has reported */
        REPORTED,
        /** the time for reports is up: members without one fail */
        TIMED_OUT,
        /** reports are missing: the commands were sent again */
        WAITING
    }

    /**
     * Marks the batch's members Updating and starts waiting for their reports. A member found Terminated (its VM is
     * gone) fails at once: there is no agent to ask. Returns how long the flow waits before looking again.
     */
    public Duration markUpdating(String updateId, String batchId, List<String> memberIds, boolean rollback) {
        UpdateSettings settings = store.settings(updateId);
        Instant now = clock.instant();
        List<String> marked = new ArrayList<>(memberIds.size());
        List<MemberRecord> records = repository.members(updateId, memberIds);
        if (records.size() != memberIds.size()) {
            throw new IllegalStateException("update '" + updateId + "' has records of " + records.size() + " of the "
                    + memberIds.size() + " members of batch " + batchId);
        }
        List<MemberEnd> gone = new ArrayList<>();
        for (MemberRecord rec : records) {
            String memberId = rec.memberId();
            Member member = topology.member(rec.current());
            String target = target(rec, rollback);
            switch (member.state()) {
                case ACTIVE, SUSPENDED -> topology.startUpdating(member.id(), target,
                        (rollback ? "rollback of update " : "update ") + updateId + " to " + target, updateId);
                case UPDATING -> { } // marked by an earlier attempt of this step
                case TERMINATED -> {
                    gone.add(new MemberEnd(memberId, failed(rollback), "member is Terminated: there is no agent to "
                            + (rollback ? "roll back" : "update")));
                    continue;
                }
                default -> throw new IllegalStateException("member '" + member.id() + "' is " + member.state()
                        + " and cannot be updated now");
            }
            marked.add(memberId);
        }
        repository.startAgentBatch(batchId, updateId, marked,
                rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING, now, now.plus(applyTimeout(settings)));
        repository.finishMembers(updateId, gone, now);
        return resendInterval;
    }

    /** Sends its command to every agent of the batch that has not reported; they leave when this step commits. */
    public int sendCommands(String updateId, String batchId, boolean rollback) {
        List<MemberRecord> waiting = repository.agentBatchMembers(batchId).stream()
                .filter(rec -> rec.reportOk() == null && rec.state() == inProgress(rollback)).toList();
        if (waiting.isEmpty()) {
            return 0;
        }
        UpdateSettings settings = store.settings(updateId);
        Cluster cluster = topology.cluster(waiting.get(0).clusterId());
        for (MemberRecord rec : waiting) {
            events.sendCommand(new SoftwareUpdateEvent(updateId, cluster.applicationId(), cluster.cartridgeType(),
                    cluster.id(), rec.current(), target(rec, rollback), rollback ? rec.toVersion() : rec.fromVersion(),
                    rollback, settings.healthTimeout().toString(), settings.minHealthyTime().toString(), null, null, false));
        }
        return waiting.size();
    }

    /**
     * The flow has waited {@code resendInterval} without hearing from every agent: go on if all reported (a report
     * may have come while the flow was not listening) or the time is up; otherwise send the missing commands again.
     */
    public Wait chase(String updateId, String batchId, boolean rollback) {
        AgentBatch batch = repository.agentBatch(batchId).orElse(null);
        if (batch == null || batch.outstanding() == 0) {
            return Wait.REPORTED;
        }
        if (!clock.instant().isBefore(batch.deadline())) {
            return Wait.TIMED_OUT;
        }
        int resent = sendCommands(updateId, batchId, rollback);
        log.info("Update {}: {} agent(s) of batch {} have not reported yet; command resent", updateId, resent, batchId);
        return Wait.WAITING;
    }

    /**
     * Records each member's outcome: reported success makes it Active on the target version; a reported failure or
     * no report takes it out of service (Suspended) with the reason in its record.
     */
    public void complete(String updateId, String batchId, boolean rollback) {
        UpdateSettings settings = store.settings(updateId);
        List<MemberEnd> ends = new ArrayList<>();
        for (MemberRecord rec : repository.agentBatchMembers(batchId)) {
            if (rec.state() != inProgress(rollback)) {
                continue; // ended already (an earlier attempt of this step)
            }
            String target = target(rec, rollback);
            if (Boolean.TRUE.equals(rec.reportOk())) {
                topology.changeMemberState(rec.current(), MemberState.ACTIVE, target,
                        (rollback ? "rolled back to " : "updated to ") + target, updateId);
                ends.add(new MemberEnd(rec.memberId(), rollback ? MemberProgress.ROLLED_BACK : MemberProgress.UPDATED,
                        (rollback ? "rolled back to " : "updated to ") + target));
            } else {
                String why = rec.reportOk() == null ? "no report from the agent within " + applyTimeout(settings)
                        : rec.message() == null ? "the agent reported a failure" : rec.message();
                if (topology.member(rec.current()).state() == MemberState.UPDATING) {
                    topology.changeMemberState(rec.current(), MemberState.SUSPENDED, null, why, updateId);
                }
                ends.add(new MemberEnd(rec.memberId(), failed(rollback), why));
                log.warn("Update {}: member {} failed: {}", updateId, rec.memberId(), why);
            }
        }
        repository.finishMembers(updateId, ends, clock.instant());
        repository.endAgentBatch(batchId);
    }

    /** How long a batch waits for its agents: the update itself, the health check and minHealthyTime, a margin. */
    static Duration applyTimeout(UpdateSettings settings) {
        return settings.updateTimeout().plus(settings.healthTimeout()).plus(settings.minHealthyTime()).plus(MARGIN);
    }

    private static MemberProgress inProgress(boolean rollback) {
        return rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING;
    }

    private static MemberProgress failed(boolean rollback) {
        return rollback ? MemberProgress.ROLLBACK_FAILED : MemberProgress.FAILED;
    }

    private static String target(MemberRecord rec, boolean rollback) {
        return rollback ? rec.fromVersion() : rec.toVersion();
    }
}
