package org.stratos.update.update;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.stratos.update.runtime.MemberStartFailed;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.MemberStateChanged;

/**
 * Hands what members report to the flow that waits for it: agent reports (recorded, and the batch's flow told when
 * the last of its agents has reported) and replacement containers getting ready or failing (to the member's flow).
 * A report that no flow expects — a duplicate, a late one, one for the wrong version — changes nothing and is
 * answered as such, so the listener can count it.
 */
@Component
public class MemberReports {

    private static final Logger log = LoggerFactory.getLogger(MemberReports.class);
    private static final int ATTEMPTS = 5;

    private final UpdateRepository repository;
    private final RuntimeService runtime;
    private final TransactionTemplate newTransaction;

    MemberReports(UpdateRepository repository, RuntimeService runtime, PlatformTransactionManager transactions) {
        this.repository = repository;
        this.runtime = runtime;
        // after a commit the finished transaction is still bound to the thread: work there needs a transaction
        // of its own, or it joins the finished one and is committed only by accident
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** What became of a report. */
    public enum Outcome { CORRELATED, UNKNOWN, DUPLICATE, WRONG_VERSION }

    /** The agent has started applying the command: shown as the member's progress. */
    public Outcome applying(String updateId, String memberId, String version, boolean rollback) {
        MemberRecord rec = repository.memberByCurrentId(updateId, memberId).orElse(null);
        if (rec == null) {
            return Outcome.UNKNOWN;
        }
        if (rec.state() == (rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING)) {
            // the event may be read after the agent's report (they come on separate queues): never over the report
            repository.setApplyingMessage(updateId, rec.memberId(), "agent is applying " + version);
        }
        return Outcome.CORRELATED;
    }

    /**
     * The agent's final report. Its details go to the member's record (the API shows them); the member's
     * {@code batchUpdate} flow is told once the last agent of its batch has reported. Should that flow not be
     * waiting at that moment, its next look (every {@code resend-interval}) finds every report in.
     */
    public Outcome reported(String updateId, String memberId, String version, boolean rollback, AgentReport report) {
        MemberRecord rec = repository.memberByCurrentId(updateId, memberId).orElse(null);
        if (rec == null) {
            return Outcome.UNKNOWN;
        }
        if (rec.state() != (rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING)
                || rec.agentBatch() == null || rec.reportOk() != null) {
            return Outcome.DUPLICATE;
        }
        if (!(rollback ? rec.fromVersion() : rec.toVersion()).equals(version)) {
            return Outcome.WRONG_VERSION;
        }
        String message = report.success()
                ? "agent applied " + version + " in " + report.durationMillis() + " ms (exit " + report.exitCode() + ")"
                : report.reason();
        Integer outstanding = newTransaction.execute(s -> repository.recordAgentReport(updateId, rec.memberId(),
                rec.agentBatch(), report.success(), report.exitCode(), message, report.outputTail())
                ? repository.reportArrived(rec.agentBatch()) : null);
        if (outstanding == null) {
            return Outcome.DUPLICATE; // another delivery of the same report got there first
        }
        if (outstanding == 0) {
            correlate(FlowNames.MESSAGE_AGENTS_REPORTED, rec.agentBatch(), null, Map.of());
        }
        return Outcome.CORRELATED;
    }

    /** A replacement member joined as Active: the flow that started it goes on. */
    @TransactionalEventListener(fallbackExecution = true)
    void onMemberActive(MemberStateChanged change) {
        if (change.to() != MemberState.ACTIVE || !newlyStarted(change.from())) {
            return; // only a member that just started can be a replacement: no query per updated VM member
        }
        List<MemberRecord> waiting = newTransaction.execute(s -> repository.membersByReplacement(change.memberId()));
        for (MemberRecord rec : waiting) {
            correlate(rec, FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
        }
    }

    private static boolean newlyStarted(MemberState from) {
        return from == MemberState.CREATED || from == MemberState.INITIALIZED || from == MemberState.STARTING;
    }

    /** A runtime gave up on a replacement (image pull error, crash loop): the member fails. */
    @EventListener
    void onStartFailed(MemberStartFailed failed) {
        for (MemberRecord rec : repository.membersByReplacement(failed.memberId())) {
            correlate(rec, FlowNames.MESSAGE_REPLACEMENT_FAILED, Map.of(FlowVariables.FAILURE_REASON, failed.reason()));
        }
    }

    private void correlate(MemberRecord rec, String message, Map<String, Object> variables) {
        boolean rollback = rec.state() == MemberProgress.ROLLING_BACK;
        correlate(message, null, FlowNames.memberBusinessKey(rec.updateId(), rec.memberId(), rollback), variables);
    }

    /** To the flow instance {@code processInstanceId}, or else the one with {@code businessKey}. */
    private void correlate(String message, String processInstanceId, String businessKey, Map<String, Object> variables) {
        String flow = processInstanceId != null ? processInstanceId : businessKey;
        for (int attempt = 1; ; attempt++) {
            try {
                newTransaction.executeWithoutResult(s -> {
                    var correlation = runtime.createMessageCorrelation(message).setVariables(variables);
                    if (processInstanceId != null) {
                        correlation.processInstanceId(processInstanceId);
                    } else {
                        correlation.processInstanceBusinessKey(businessKey);
                    }
                    correlation.correlateWithResult();
                });
                return;
            } catch (MismatchingMessageCorrelationException | OptimisticLockingException notWaitingNow) {
                if (processInstanceId != null && runtime.createProcessInstanceQuery()
                        .processInstanceId(processInstanceId).count() == 0) {
                    log.info("Flow {} is over (ended or cancelled): {} not delivered", flow, message);
                    return;
                }
                if (attempt >= ATTEMPTS) {
                    log.warn("No flow {} waits for {}; it will find out by itself", flow, message);
                    return;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
