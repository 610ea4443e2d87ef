package org.stratos.update.update;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
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
import org.stratos.update.runtime.AfterCommit;
import org.stratos.update.runtime.MemberStartFailed;
import org.stratos.update.topology.MemberState;
import org.stratos.update.topology.MemberStateChanged;

/**
 * Hands what members report to the flow that waits for it: agent reports (recorded, and the batch's flow told when
 * the last of its agents has reported) and replacement containers getting ready or failing (to the member's flow).
 * A report that no flow expects — a duplicate, a late one — changes no state and is answered as such, so the
 * listener can count it; a late one is kept in the member's record with what it said.
 */
@Component
public class ReportCorrelator {

    private static final Logger log = LoggerFactory.getLogger(ReportCorrelator.class);
    private static final int ATTEMPTS = 5;

    private final UpdateRepository repository;
    private final AgentBatchRepository runs;
    private final RuntimeService runtime;
    private final TransactionTemplate newTransaction;
    private final Clock clock;

    ReportCorrelator(
            UpdateRepository repository,
            AgentBatchRepository runs,
            RuntimeService runtime,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.repository = repository;
        this.runs = runs;
        this.runtime = runtime;
        this.clock = clock;
        // after a commit the finished transaction is still bound to the thread: work there needs a transaction
        // of its own, or it joins the finished one and is committed only by accident
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** What became of a report. */
    public enum Outcome {
        /** stored as the member's report (the flow is told when it was the batch's last) */
        CORRELATED,
        /** no such update, or no such member in it */
        UNKNOWN,
        /** the member is not waiting for this report: a repeat, or one its run never asked for */
        DUPLICATE,
        /**
         * an acknowledgement (applying) read after its run's report was recorded: the report overtook it on its own
         * queue; there is nothing left to record
         */
        OVERTAKEN,
        /** it came after the manager stopped waiting for it: kept in the member's record as late, nothing changed */
        LATE,
        /** it named another version than the command: stored as the member's (failed) report, saying so */
        WRONG_VERSION
    }

    /** What an agent sent about one member's run: its acknowledgement ({@code report} null) or its final report. */
    public record Incoming(String updateId, String memberId, String version, RunPhase phase, AgentReport report) {}

    /**
     * The agent has accepted the command of {@code phase} and is applying it (its acknowledgement): recorded, and shown
     * as the run's progress until its report is in.
     */
    public Outcome applying(String updateId, String memberId, String version, RunPhase phase) {
        return applyingAll(List.of(new Incoming(updateId, memberId, version, phase, null)))
                .get(0);
    }

    /**
     * {@link #applying} for each, in one transaction: each record read by its member's id (by index, as
     * {@code MemberLookupPlanIT} checks), the acknowledgements written in one batch of statements; the outcomes in the
     * same order.
     */
    public List<Outcome> applyingAll(List<Incoming> acks) {
        return newTransaction.execute(s -> {
            Outcome[] outcomes = new Outcome[acks.size()];
            List<AgentBatchRepository.Ack> acknowledged = new ArrayList<>();
            for (int i : inMemberOrder(acks)) {
                Incoming ack = acks.get(i);
                MemberRecord rec = repository
                        .memberByCurrentId(ack.updateId(), ack.memberId())
                        .orElse(null);
                if (rec == null) {
                    outcomes[i] = Outcome.UNKNOWN;
                } else if (rec.reportOvertookAcknowledgement(ack.phase())) {
                    outcomes[i] = Outcome.OVERTAKEN;
                } else if (!rec.inProgress(ack.phase()) || rec.reportOk() != null) {
                    outcomes[i] = Outcome.DUPLICATE; // recorded already (the report, when it came, was kept over it)
                } else {
                    acknowledged.add(new AgentBatchRepository.Ack(
                            ack.updateId(),
                            rec.memberId(),
                            ack.phase(),
                            "agent is "
                                    + (ack.phase().noop()
                                            ? "checking " + ack.version() + " (no-op)"
                                            : "applying " + ack.version())));
                    outcomes[i] = Outcome.CORRELATED;
                }
            }
            runs.acknowledgeAll(acknowledged, clock.instant());
            return List.of(outcomes);
        });
    }

    /**
     * The agent's final report on {@code phase}'s command. Its details go to that run's result in the member's
     * record (the API shows them); the member's {@code batchUpdate} flow is told once the last agent of its batch has
     * reported. Should that flow not be waiting at that moment, its next look (every {@code resend-interval}) finds
     * every report in. A report for a run the manager has given up on (no report in time, agent unreachable) is kept
     * as late; one for another version than the command named ends the run as failed, saying so.
     */
    public Outcome reported(String updateId, String memberId, String version, RunPhase phase, AgentReport report) {
        return reportedAll(List.of(new Incoming(updateId, memberId, version, phase, report)))
                .get(0);
    }

    /**
     * {@link #reported} for each report, all in one transaction (the reports of a batch come at about the same
     * moment): each member's record, then each batch's count of outstanding reports once; the flows of the batches
     * whose last report this was are told after the commit. The outcomes in the same order as the reports. Should the
     * transaction fail, none of them is recorded (and the caller's messages come again).
     */
    public List<Outcome> reportedAll(List<Incoming> incoming) {
        long started = System.nanoTime();
        List<String> complete = new ArrayList<>();
        List<Outcome> outcomes = newTransaction.execute(s -> {
            complete.clear();
            Outcome[] out = new Outcome[incoming.size()];
            Map<String, Integer> arrived = new TreeMap<>(); // batch ids in one order: their rows locked in that order
            for (int i : inMemberOrder(incoming)) {
                out[i] = record(incoming.get(i), arrived);
            }
            arrived.forEach((batchId, count) -> {
                if (runs.reportsArrived(batchId, count) == 0) {
                    complete.add(batchId);
                }
            });
            return List.of(out);
        });
        if (log.isDebugEnabled()) {
            log.debug(
                    "{} report(s) recorded in {} ms; batches with every report in: {}",
                    incoming.size(),
                    (System.nanoTime() - started) / 1_000_000,
                    complete);
        }
        for (String batchId : complete) {
            correlate(FlowNames.MESSAGE_AGENTS_REPORTED, batchId, null, Map.of());
        }
        return outcomes;
    }

    /** One report, in the caller's transaction: {@code arrived} counts what it adds to its batch. */
    private Outcome record(Incoming in, Map<String, Integer> arrived) {
        MemberRecord rec =
                repository.memberByCurrentId(in.updateId(), in.memberId()).orElse(null);
        if (rec == null) {
            return Outcome.UNKNOWN;
        }
        RunPhase phase = in.phase();
        AgentReport report = in.report();
        if (!rec.awaitingReport(phase)) {
            return rec.run(phase).givenUp()
                            && runs.recordLateReport(
                                    in.updateId(),
                                    rec.memberId(),
                                    phase,
                                    "came at " + clock.instant() + " after the manager gave up: "
                                            + report.describe(in.version()))
                    ? Outcome.LATE
                    : Outcome.DUPLICATE;
        }
        String expected = phase.target(rec);
        boolean rightVersion = expected.equals(in.version());
        RunResult run = rightVersion
                ? result(phase, in.version(), report)
                : new RunResult(
                        report.exitCode(),
                        RunResult.WRONG_VERSION,
                        "the agent reported version " + in.version() + ", expected " + expected,
                        report.outputTail(),
                        report.resourcesChanged(),
                        report.resourcesFailed(),
                        null);
        if (!runs.recordAgentReport(
                in.updateId(), rec.memberId(), rec.agentBatch(), phase, rightVersion && report.success(), run)) {
            return Outcome.DUPLICATE; // another delivery of the same report got there first
        }
        arrived.merge(rec.agentBatch(), 1, Integer::sum);
        return rightVersion ? Outcome.CORRELATED : Outcome.WRONG_VERSION;
    }

    /**
     * The positions of {@code items} ordered by update and member: two transactions that hold reports of the same
     * members (a repeat handled by another consumer) lock their rows in the same order.
     */
    private static int[] inMemberOrder(List<Incoming> items) {
        return IntStream.range(0, items.size())
                .boxed()
                .sorted(Comparator.comparing((Integer i) -> items.get(i).updateId())
                        .thenComparing(i -> items.get(i).memberId()))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /**
     * A batch that has no report to wait for (each of its members failed at once: Terminated, or not to be rolled
     * back): its flow is told once the step that sent nothing has committed (the flow is then waiting), instead of
     * finding out at its next look.
     */
    public void nothingToWaitFor(String batchId) {
        AfterCommit.run(() -> correlate(FlowNames.MESSAGE_AGENTS_REPORTED, batchId, null, Map.of()));
    }

    private static RunResult result(RunPhase phase, String version, AgentReport report) {
        String message = report.success()
                ? "agent " + (phase.noop() ? "checked " + version + " (no-op)" : "applied " + version) + " in "
                        + report.durationMillis() + " ms (exit " + report.exitCode() + ")"
                : report.reason();
        return new RunResult(
                report.exitCode(),
                report.failure(),
                message,
                report.outputTail(),
                report.resourcesChanged(),
                report.resourcesFailed(),
                null);
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

    /** The replacement of {@code rec} is Active although its flow was never told (the manager died in between). */
    void replacementReady(MemberRecord rec) {
        correlate(rec, FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
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
    private void correlate(
            String message, String processInstanceId, String businessKey, Map<String, Object> variables) {
        String flow = processInstanceId != null ? processInstanceId : businessKey;
        long started = System.nanoTime();
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
                if (log.isDebugEnabled()) {
                    log.debug(
                            "{} correlated to {} in {} ms (attempt {})",
                            message,
                            flow,
                            (System.nanoTime() - started) / 1_000_000,
                            attempt);
                }
                return;
            } catch (MismatchingMessageCorrelationException | OptimisticLockingException notWaitingNow) {
                if (processInstanceId != null
                        && runtime.createProcessInstanceQuery()
                                        .processInstanceId(processInstanceId)
                                        .count()
                                == 0) {
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
