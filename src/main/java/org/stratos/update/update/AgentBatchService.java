package org.stratos.update.update;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.stratos.update.common.BrokerReachability;
import org.stratos.update.common.EventPublisher;
import org.stratos.update.common.NotFoundException;
import org.stratos.update.messaging.event.instance.notifier.SoftwareUpdateEvent;
import org.stratos.update.messaging.event.instance.status.InstanceUpdateFailedEvent;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;
import org.stratos.update.update.AgentBatchRepository.AgentBatch;
import org.stratos.update.update.AgentBatchRepository.MemberEnd;
import org.stratos.update.update.AgentBatchRepository.PreflightEnd;

/**
 * The steps of {@code batchUpdate} for members on VMs: a batch of members (identified by the flow's process instance,
 * {@code batchId}) starts one run (the update, its rollback, or a pre-flight no-op run: {@link RunPhase}), is sent its
 * commands together, the flow waits once for every agent's report, and the outcomes are recorded together. An agent
 * that does not acknowledge its command in time (resends included) is unreachable: its member fails then, not at the
 * batch's deadline. Each member's outcome is its own — a failed member is taken out of service and counted by the
 * cluster flow, it does not fail the batch. Each step is safe to repeat.
 */
@Service
@Transactional
public class AgentBatchService {

    private static final Logger log = LoggerFactory.getLogger(AgentBatchService.class);
    /** Added to the time an agent may take (update, health, minHealthyTime) before the batch stops waiting. */
    static final Duration MARGIN = Duration.ofMinutes(1);

    private final UpdateRepository repository;
    private final AgentBatchRepository runs;
    private final CheckedRequests checkedRequests;
    private final TopologyService topology;
    private final EventPublisher events;
    private final ReportCorrelator reports;
    private final Clock clock;
    private final Duration resendInterval;
    private final Duration ackTimeout;
    /** when this node started: an acknowledgement from before may come from an agent that died with a manager */
    private final Instant startedAt;

    private final BrokerReachability link;

    AgentBatchService(
            UpdateRepository repository,
            AgentBatchRepository runs,
            CheckedRequests checkedRequests,
            TopologyService topology,
            EventPublisher events,
            ReportCorrelator reports,
            Clock clock,
            @Value("${stratos.update.resend-interval}") Duration resendInterval,
            @Value("${stratos.update.ack-timeout}") Duration ackTimeout,
            BrokerReachability link) {
        this.repository = repository;
        this.runs = runs;
        this.checkedRequests = checkedRequests;
        this.topology = topology;
        this.events = events;
        this.reports = reports;
        this.clock = clock;
        this.resendInterval = resendInterval;
        this.ackTimeout = ackTimeout;
        this.link = link;
        this.startedAt = clock.instant();
    }

    /** How a batch waiting for its agents stands. */
    public enum Wait {
        /** every agent has reported (or was given up as unreachable) */
        REPORTED,
        /** the time for reports is up: members without one fail */
        TIMED_OUT,
        /** reports are missing: the commands were sent again to the agents that need it */
        WAITING
    }

    /**
     * Starts {@code phase}'s run on the batch's members and starts waiting for their reports. The update and its
     * rollback mark the members Updating; a pre-flight leaves them as they are (they serve on). A member found
     * Terminated (its VM is gone) fails at once: there is no agent to ask; so does a rollback of a member whose agent
     * was unreachable during the update (it is not waited for again). Returns how long the flow waits before it looks
     * again.
     */
    public Duration markUpdating(String updateId, String batchId, List<String> memberIds, RunPhase phase) {
        UpdateSettings settings = checkedRequests.settings(updateId);
        Instant now = clock.instant();
        List<MemberRecord> records = repository.members(updateId, memberIds);
        if (records.size() != memberIds.size()) {
            throw new IllegalStateException("update '" + updateId + "' has records of " + records.size() + " of the "
                    + memberIds.size() + " members of batch " + batchId);
        }
        List<String> marked = new ArrayList<>(memberIds.size());
        List<MemberEnd> gone = new ArrayList<>();
        List<PreflightEnd> unchecked = new ArrayList<>();
        List<TopologyService.UpdatingMove> moves = new ArrayList<>();
        // the batch's members read in one query and marked Updating in one batch of statements
        Map<String, Member> members =
                topology.members(records.stream().map(MemberRecord::current).toList());
        for (MemberRecord rec : records) {
            Member member = members.get(rec.current());
            if (member == null) {
                throw new NotFoundException("no member '" + rec.current() + "'");
            }
            String refusal = member.state() == MemberState.TERMINATED
                    ? "member is Terminated: there is no agent to ask"
                    : phase.rollback()
                                    && RunResult.UNREACHABLE.equals(rec.update().failure())
                            ? "not rolled back: its agent was unreachable during the update (not waited for again)"
                            : null;
            if (refusal != null) {
                if (phase.noop()) {
                    unchecked.add(new PreflightEnd(rec.memberId(), PreflightResult.FAILED, refusal, null));
                } else {
                    gone.add(new MemberEnd(rec.memberId(), failed(phase), refusal));
                }
                continue;
            }
            if (!phase.noop()) {
                String target = phase.target(rec);
                switch (member.state()) {
                    case ACTIVE, SUSPENDED ->
                        moves.add(new TopologyService.UpdatingMove(
                                member.id(),
                                target,
                                (phase.rollback() ? "rollback of update " : "update ") + updateId + " to " + target));
                    case UPDATING -> {} // marked by an earlier attempt of this step
                    default ->
                        throw new IllegalStateException(
                                "member '" + member.id() + "' is " + member.state() + " and cannot be updated now");
                }
            }
            marked.add(rec.memberId());
        }
        topology.startUpdatingAll(moves, updateId);
        runs.startAgentBatch(
                batchId, updateId, marked, phase, now, now.plus(applyTimeout(settings)), now.plus(ackTimeout));
        runs.finishMembers(updateId, gone, now);
        runs.finishPreflight(updateId, unchecked);
        return resendInterval;
    }

    /**
     * Sends the command to every agent of the batch that has not acknowledged it (all of them, the first time), and
     * again to an agent that acknowledged it longer than the acknowledgement window ago and has not reported (a repeat
     * is answered without a second run, so an agent that restarted is found out), or before this node started: the
     * agent may have died with the manager (simulated members run in it), and a repeat costs a live agent nothing.
     * They leave when this step commits.
     */
    public int sendCommands(String updateId, String batchId, RunPhase phase) {
        AgentBatch batch = runs.agentBatch(batchId).orElse(null);
        if (batch == null) {
            return 0;
        }
        if (batch.outstanding() == 0) {
            reports.nothingToWaitFor(batchId);
            return 0;
        }
        Instant stale = clock.instant().minus(ackTimeout);
        List<MemberRecord> due = runs.agentBatchMembers(batchId).stream()
                .filter(rec -> rec.awaitingReport(phase)
                        && (rec.ackedAt() == null
                                || !rec.ackedAt().isAfter(stale)
                                || rec.ackedAt().isBefore(startedAt)))
                .toList();
        UpdateSettings settings = checkedRequests.settings(updateId);
        Map<String, Cluster> clusters = new HashMap<>();
        for (MemberRecord rec : due) {
            Cluster cluster = clusters.computeIfAbsent(rec.clusterId(), topology::cluster);
            events.sendCommand(new SoftwareUpdateEvent(
                    updateId,
                    cluster.applicationId(),
                    cluster.cartridgeType(),
                    cluster.id(),
                    rec.current(),
                    phase.target(rec),
                    phase.rollback() ? rec.toVersion() : rec.fromVersion(),
                    phase.rollback(),
                    settings.healthTimeout().toString(),
                    settings.minHealthyTime().toString(),
                    settings.updateTimeout().toString(),
                    batch.deadline().toString(),
                    phase.noop()));
        }
        return due.size();
    }

    /**
     * The flow has waited {@code resendInterval} without hearing from every agent: go on if all reported (a report
     * may have come while the flow was not listening) or the time is up. Agents that have not acknowledged their
     * command by the batch's acknowledgement deadline, although it was sent again at least once, are unreachable:
     * their members fail now. The others get their command again where {@link #sendCommands} says so.
     * While the manager cannot reach its broker ({@link BrokerReachability}) nothing is sent and nobody is given up for not
     * acknowledging; after an outage the agents are sent their commands again and get a full look before that.
     */
    public Wait chase(String updateId, String batchId, RunPhase phase) {
        AgentBatch batch = runs.agentBatch(batchId).orElse(null);
        if (batch == null || batch.outstanding() == 0) {
            return Wait.REPORTED;
        }
        Instant now = clock.instant();
        if (!now.isBefore(batch.deadline())) {
            return Wait.TIMED_OUT;
        }
        Instant down = link.unreachableSince().orElse(null);
        if (down != null) {
            log.warn(
                    "Update {}: {} of batch {} still waiting; the broker is unreachable since {}: no command sent",
                    updateId,
                    phase,
                    batchId,
                    down);
            return Wait.WAITING;
        }
        // a resend the broker may have lost in an outage since does not count as one
        boolean resentSinceOutage = batch.resentAt() != null && link.reachableThroughout(batch.resentAt(), now);
        if (batch.ackDeadline() != null
                && !now.isBefore(batch.ackDeadline())
                && resentSinceOutage
                && giveUpUnacknowledged(
                                updateId, batchId, phase, batch.ackDeadline().minus(ackTimeout))
                        == 0) {
            return Wait.REPORTED;
        }
        int resent = sendCommands(updateId, batchId, phase);
        runs.setResent(batchId, now);
        log.info("Update {}: {} of batch {} still waiting; {} command(s) sent again", updateId, phase, batchId, resent);
        return Wait.WAITING;
    }

    /** Fails the members whose agents never acknowledged the command; answers how many reports are still to come. */
    private int giveUpUnacknowledged(String updateId, String batchId, RunPhase phase, Instant sent) {
        String outage = link.unreachableDuring(sent).map(o -> "; " + o).orElse("");
        int given = 0;
        for (MemberRecord rec : runs.agentBatchMembers(batchId)) {
            if (!rec.awaitingReport(phase) || rec.ackedAt() != null) {
                continue;
            }
            String why = "unreachable: its agent did not acknowledge the " + phase + " command within " + ackTimeout
                    + " (sent again at least once)" + outage;
            if (runs.recordAgentReport(
                    updateId,
                    rec.memberId(),
                    batchId,
                    phase,
                    false,
                    new RunResult(null, RunResult.UNREACHABLE, why, null, null, null, null))) {
                given++;
                log.warn("Update {}: member {} is {}", updateId, rec.memberId(), why);
                if (!phase.noop()) {
                    suspend(rec.current(), why, updateId);
                }
            }
        }
        return given == 0
                ? runs.agentBatch(batchId).map(AgentBatch::outstanding).orElse(0)
                : runs.reportsArrived(batchId, given);
    }

    /**
     * Records each member's outcome. The update: a reported success makes the member Active on the target version;
     * a report that nothing ran (Puppet disabled, run lock held, deadline passed) puts it back as it was, unchanged
     * ({@link MemberProgress#NOT_APPLIED}); a reported failure or no report takes it out of service (Suspended). The
     * rollback likewise, back to the previous version. The pre-flight changes no member: it records passed or failed.
     */
    public void complete(String updateId, String batchId, RunPhase phase) {
        UpdateSettings settings = checkedRequests.settings(updateId);
        List<MemberEnd> ends = new ArrayList<>();
        List<TopologyService.ActivatingMove> activated = new ArrayList<>();
        List<PreflightEnd> checks = new ArrayList<>();
        // a report that did not come while the broker was down says so: the agent may not be to blame
        String outage = runs.agentBatch(batchId)
                .map(b -> b.deadline().minus(applyTimeout(settings)))
                .flatMap(link::unreachableDuring)
                .map(o -> o + "; ")
                .orElse("");
        for (MemberRecord rec : runs.agentBatchMembers(batchId)) {
            if (!rec.inProgress(phase)) {
                continue; // ended already (an earlier attempt of this step)
            }
            RunResult run = rec.run(phase);
            String silent = rec.reportOk() == null
                    ? outage + "no report from the agent within " + applyTimeout(settings)
                            + (rec.ackedAt() == null ? "" : " (it acknowledged the command at " + rec.ackedAt() + ")")
                    : null;
            if (phase.noop()) {
                boolean passed = Boolean.TRUE.equals(rec.reportOk());
                checks.add(new PreflightEnd(
                        rec.memberId(),
                        passed ? PreflightResult.PASSED : PreflightResult.FAILED,
                        passed
                                ? "no-op run of " + rec.toVersion() + " passed (" + summary(run) + ")"
                                : silent != null ? silent : reason(run),
                        silent != null ? RunResult.NO_REPORT : null));
            } else {
                ends.add(end(updateId, rec, phase, run, silent, activated));
            }
        }
        // the members whose agents succeeded are Active on their new version: one set of statements for all of them
        topology.activateAll(activated, updateId);
        Instant now = clock.instant();
        runs.finishMembers(updateId, ends, now);
        runs.finishPreflight(updateId, checks);
        runs.endAgentBatch(batchId);
    }

    /**
     * How {@code rec}'s run ended; a member that failed is put back or suspended at once, one that succeeded is added
     * to {@code activated} (the caller moves them to Active together).
     */
    private MemberEnd end(
            String updateId,
            MemberRecord rec,
            RunPhase phase,
            RunResult run,
            String silent,
            List<TopologyService.ActivatingMove> activated) {
        String target = phase.target(rec);
        if (Boolean.TRUE.equals(rec.reportOk())) {
            String done = (phase.rollback() ? "rolled back to " : "updated to ") + target;
            activated.add(new TopologyService.ActivatingMove(
                    rec.current(),
                    target,
                    phase.rollback()
                            ? done + " (after the update to " + rec.toVersion() + ": " + summary(rec.update()) + ")"
                            : done));
            return new MemberEnd(
                    rec.memberId(), phase.rollback() ? MemberProgress.ROLLED_BACK : MemberProgress.UPDATED, done);
        }
        if (silent == null && InstanceUpdateFailedEvent.unchanged(run.failure())) {
            String why = "not " + (phase.rollback() ? "rolled back" : "applied") + ", nothing ran: " + reason(run);
            putBack(rec, why, updateId);
            log.warn("Update {}: member {} {}", updateId, rec.memberId(), why);
            return new MemberEnd(
                    rec.memberId(),
                    phase.rollback() ? MemberProgress.ROLLBACK_FAILED : MemberProgress.NOT_APPLIED,
                    why);
        }
        String why = silent != null ? silent : reason(run);
        suspend(rec.current(), why, updateId);
        log.warn("Update {}: member {} failed its {}: {}", updateId, rec.memberId(), phase, why);
        return new MemberEnd(rec.memberId(), failed(phase), why, silent != null ? RunResult.NO_REPORT : null);
    }

    /** A member nothing ran on goes back to the state it had before the command (Active, or Suspended), unchanged. */
    private void putBack(MemberRecord rec, String why, String updateId) {
        Member member = topology.member(rec.current());
        if (member.state() == MemberState.UPDATING) {
            topology.changeMemberState(member.id(), topology.stateBeforeUpdating(member.id()), null, why, updateId);
        }
    }

    private void suspend(String memberId, String why, String updateId) {
        if (topology.member(memberId).state() == MemberState.UPDATING) {
            topology.changeMemberState(memberId, MemberState.SUSPENDED, null, why, updateId);
        }
    }

    private static String reason(RunResult run) {
        return run.message() == null ? "the agent reported a failure" : run.message();
    }

    /** A run's result in a few words, for the transition log: exit code, kind of failure, message. */
    private static String summary(RunResult run) {
        return (run.exitCode() == null ? "" : "exit " + run.exitCode() + ", ")
                + (run.failure() == null ? "" : run.failure() + ", ")
                + run.message();
    }

    /** How long a batch waits for its agents: the update itself, the health check and minHealthyTime, a margin. */
    static Duration applyTimeout(UpdateSettings settings) {
        return settings.updateTimeout()
                .plus(settings.healthTimeout())
                .plus(settings.minHealthyTime())
                .plus(MARGIN);
    }

    private static MemberProgress failed(RunPhase phase) {
        return phase.rollback() ? MemberProgress.ROLLBACK_FAILED : MemberProgress.FAILED;
    }
}
