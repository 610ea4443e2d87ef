package org.stratos.update.update;

import java.time.Clock;
import java.util.Date;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Execution;
import org.camunda.bpm.engine.runtime.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.stratos.update.runtime.ContainerRuntimes;
import org.stratos.update.topology.Cluster;
import org.stratos.update.topology.Member;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.TopologyService;

/**
 * Picks up what a manager that died left half done (docs/architecture.md#recovery-after-a-crash). When a node has
 * started:
 * <ul>
 * <li>every batch of VM members waiting for its agents looks again at once instead of at its timer (up to
 * {@code resend-interval} later): commands that died with the manager are resent, and a batch whose reports all came
 * while the manager was down goes on;</li>
 * <li>every container replacement an update still waits for is handed back to its runtime, which starts it again if it
 * died with the manager (the simulated runtime) or finds it again (Kubernetes);</li>
 * <li>a replacement that got ready while nobody could tell its flow (the manager died between the two) lets the flow
 * go on. This last check also runs every {@code stratos.update.recovery-interval} on every node, for a node that
 * died while another one lives on.</li>
 * </ul>
 * Everything here is safe to repeat and to run on several nodes at once: a look is a resend agents answer from their
 * ledger, a resumed replacement that runs already is left alone, and a replacement is reported ready to a flow only
 * while it waits for exactly that.
 */
@Component
class InterruptedFlows {

    static final String WAIT_FOR_AGENT_REPORTS = "receiveTask_waitForAgentReports";
    static final String LOOK_AGAIN = "boundaryEvent_lookAgain";
    static final String WAIT_FOR_REPLACEMENT_READY = "receiveTask_waitForReplacementReady";

    private static final Logger log = LoggerFactory.getLogger(InterruptedFlows.class);

    private final RuntimeService runtime;
    private final ManagementService management;
    private final UpdateRepository repository;
    private final TopologyService topology;
    private final ContainerRuntimes containers;
    private final ReportCorrelator reports;
    private final Clock clock;

    InterruptedFlows(
            RuntimeService runtime,
            ManagementService management,
            UpdateRepository repository,
            TopologyService topology,
            ContainerRuntimes containers,
            ReportCorrelator reports,
            Clock clock) {
        this.runtime = runtime;
        this.management = management;
        this.repository = repository;
        this.topology = topology;
        this.containers = containers;
        this.reports = reports;
        this.clock = clock;
    }

    /** Before the simulated fleet brings its clusters to size: replacements it is to start again count then. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void afterStart() {
        try {
            int looks = lookAgainNow();
            int replacements = resumeReplacements(true);
            if (looks + replacements > 0) {
                log.info(
                        "After start: {} batch(es) waiting for agents look again now; {} replacement(s) in flight "
                                + "found again",
                        looks,
                        replacements);
            }
        } catch (RuntimeException e) {
            // never keeps the manager from starting: the batches' timers and the periodic check still come
            log.error("Picking up interrupted updates after start failed; their timers will", e);
        }
    }

    @Scheduled(
            fixedDelayString = "${stratos.update.recovery-interval}",
            initialDelayString = "${stratos.update.recovery-interval}")
    void periodically() {
        resumeReplacements(false);
    }

    /** Active this long, a replacement whose flow still waits was not announced to it (the listener is quicker). */
    private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(5);

    private java.time.Duration activeFor(Member member) {
        return member.stateSince() == null
                ? java.time.Duration.ZERO
                : java.time.Duration.between(member.stateSince(), clock.instant());
    }

    /** The look-again timers of batches waiting for their agents, due now. */
    int lookAgainNow() {
        Date now = Date.from(clock.instant());
        int moved = 0;
        for (Job timer : management
                .createJobQuery()
                .processDefinitionKey(FlowNames.BATCH_UPDATE)
                .activityId(LOOK_AGAIN)
                .timers()
                .list()) {
            if (timer.getDuedate() != null && timer.getDuedate().after(now)) {
                management.setJobDuedate(timer.getId(), now);
                moved++;
            }
        }
        return moved;
    }

    /**
     * Every replacement a {@code memberUpdate} flow waits for: reported ready when it is Active already; with
     * {@code resume}, handed to its runtime to be started again if it died with the manager.
     */
    int resumeReplacements(boolean resume) {
        int found = 0;
        for (Execution waiting : runtime.createExecutionQuery()
                .processDefinitionKey(FlowNames.MEMBER_UPDATE)
                .activityId(WAIT_FOR_REPLACEMENT_READY)
                .list()) {
            Map<String, Object> vars = runtime.getVariables(waiting.getId());
            String updateId = (String) vars.get("updateId");
            String memberId = (String) vars.get("memberId");
            boolean rollback = Boolean.TRUE.equals(vars.get("rollback"));
            MemberRecord rec = updateId == null || memberId == null
                    ? null
                    : repository.member(updateId, memberId).orElse(null);
            if (rec == null || rec.replacementMemberId() == null) {
                continue;
            }
            Member replacement =
                    topology.memberIfPresent(rec.replacementMemberId()).orElse(null);
            if (replacement != null
                    && replacement.state() == MemberState.ACTIVE
                    && (resume || activeFor(replacement).compareTo(SETTLE) > 0)) {
                log.info(
                        "Update {}: replacement {} for {} is Active; its flow goes on",
                        updateId,
                        replacement.id(),
                        memberId);
                reports.replacementReady(rec);
                found++;
            } else if (resume && (replacement == null || replacement.state() != MemberState.TERMINATED)) {
                Cluster cluster = topology.cluster(rec.clusterId());
                containers
                        .of(cluster)
                        .resume(
                                cluster,
                                rec.replacementMemberId(),
                                rollback ? rec.fromVersion() : rec.toVersion(),
                                updateId);
                found++;
            }
        }
        return found;
    }
}
