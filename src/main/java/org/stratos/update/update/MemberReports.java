package org.stratos.update.update;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
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
 * Hands what members report to the member flow that waits for it: agent reports (correlated by the flow's business
 * key) and replacement containers getting ready or failing. A report that no flow expects — a duplicate, a late one,
 * one for the wrong version — changes nothing and is answered as such, so the listener can count it.
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
            repository.setMessage(updateId, rec.memberId(), "agent is applying " + version);
        }
        return Outcome.CORRELATED;
    }

    /**
     * The agent's final report. Correlated to the waiting {@code memberUpdate}; if that flow is not waiting although
     * the member is still being updated, the correlation exception is thrown so the message is delivered again.
     */
    public Outcome reported(String updateId, String memberId, String version, boolean rollback, AgentReport report) {
        MemberRecord rec = repository.memberByCurrentId(updateId, memberId).orElse(null);
        if (rec == null) {
            return Outcome.UNKNOWN;
        }
        if (rec.state() != (rollback ? MemberProgress.ROLLING_BACK : MemberProgress.UPDATING)) {
            return Outcome.DUPLICATE;
        }
        if (!(rollback ? rec.fromVersion() : rec.toVersion()).equals(version)) {
            return Outcome.WRONG_VERSION;
        }
        // the details go to the member's record (the API shows them); the flow needs only the verdict
        repository.recordReport(updateId, rec.memberId(), report.exitCode(), report.success()
                ? "agent applied " + version + " in " + report.durationMillis() + " ms (exit " + report.exitCode() + ")"
                : report.reason(), report.outputTail());
        runtime.createMessageCorrelation(FlowNames.MESSAGE_AGENT_REPORTED)
                .processInstanceBusinessKey(FlowNames.memberBusinessKey(updateId, rec.memberId(), rollback))
                .setVariable(FlowVariables.REPORT_SUCCESS, report.success())
                .correlateWithResult();
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
        String key = FlowNames.memberBusinessKey(rec.updateId(), rec.memberId(), rollback);
        for (int attempt = 1; ; attempt++) {
            try {
                newTransaction.executeWithoutResult(s -> runtime.createMessageCorrelation(message)
                        .processInstanceBusinessKey(key).setVariables(variables).correlateWithResult());
                return;
            } catch (MismatchingMessageCorrelationException notWaitingYet) {
                if (attempt >= ATTEMPTS) {
                    log.warn("No member flow {} waits for {}; its time-out will decide", key, message);
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
