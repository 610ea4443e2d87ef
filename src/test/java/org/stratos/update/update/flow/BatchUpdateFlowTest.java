package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.jobQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.stratos.update.update.flow.BatchFlows.MARK_UPDATING;
import static org.stratos.update.update.flow.BatchFlows.RECORD_OUTCOMES;
import static org.stratos.update.update.flow.BatchFlows.SEND_COMMANDS;
import static org.stratos.update.update.flow.BatchFlows.WAIT_FOR_REPORTS;
import static org.stratos.update.update.flow.BatchFlows.everyAgentReported;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;
import org.stratos.update.update.AgentBatchService.Wait;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RunPhase;

/**
 * batchUpdate: one batch of a cluster's members. On VMs their agents update the batch together (marked, sent their
 * commands, one wait for every report, looking again every resendInterval, the outcomes recorded together); containers
 * are replaced one memberUpdate flow per member.
 */
@Deployment(resources = {"processes/batch-update.bpmn", "processes/member-update.bpmn"})
class BatchUpdateFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.BATCH_UPDATE);

    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String HOW_APPLIED = "exclusiveGateway_howApplied";
    static final String WAIT_AGAIN = "exclusiveGateway_waitAgain";
    static final String LOOK_AGAIN = "boundaryEvent_lookAgain";
    static final String CHASE = "serviceTask_chaseAgents";
    static final String EVERY_REPORT_IN = "exclusiveGateway_everyReportIn";
    static final String REPORTS_IN = "exclusiveGateway_reportsIn";
    static final String REPLACE_MEMBERS = "callActivity_replaceMembers";
    static final String BATCH_DONE = "exclusiveGateway_batchDone";
    static final String END = "endEvent_batchDone";

    static final List<String> VMS = List.of("app.php.domain-m1", "app.php.domain-m2", "app.php.domain-m3");
    static final List<String> CONTAINERS = List.of("app.php.domain-c1", "app.php.domain-c2");
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    // ---- by the agents (VMs)

    @Test
    void theAgentsApplyTheBatchTogetherAndItsOutcomesAreRecordedOnce() {
        // given
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, false, VMS);
        assertThat(batch).isWaitingAt(MARK_UPDATING);

        // when the batch is marked and its commands sent
        execute(job(MARK_UPDATING, batch));
        assertThat(batch)
                .isWaitingAt(SEND_COMMANDS)
                .variables()
                .containsEntry(FlowVariables.RESEND_INTERVAL, RESEND_INTERVAL.toString());
        execute(job(SEND_COMMANDS, batch));

        // then the flow waits once for the whole batch
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS).isWaitingFor(FlowNames.MESSAGE_AGENTS_REPORTED);

        // when the last agent has reported
        everyAgentReported(batch);

        // then the outcomes are recorded in a job of their own, and the batch is done
        assertThat(batch).isWaitingAt(RECORD_OUTCOMES);
        execute(job(RECORD_OUTCOMES, batch));
        assertThat(batch)
                .hasPassedInOrder(
                        "startEvent_batchToUpdate",
                        HOW_APPLIED,
                        MARK_UPDATING,
                        SEND_COMMANDS,
                        WAIT_AGAIN,
                        WAIT_FOR_REPORTS,
                        REPORTS_IN,
                        RECORD_OUTCOMES,
                        BATCH_DONE,
                        END)
                .hasNotPassed(LOOK_AGAIN, CHASE, EVERY_REPORT_IN, REPLACE_MEMBERS)
                .isEnded();
        InOrder steps = inOrder(batches);
        steps.verify(batches).markUpdating(UPDATE_ID, batch.getId(), VMS, RunPhase.UPDATE);
        steps.verify(batches).sendCommands(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        steps.verify(batches).complete(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        steps.verifyNoMoreInteractions();
        verifyNoInteractions(members);
        assertThat(memberFlowsOf(batch)).isEmpty();
    }

    @Test
    void aBatchOfAHundredMembersWithLongNamesRunsThoughItsListIsLongerThanAStringVariableTakes() {
        // given 100 members named as registration names them (cluster id + UUID): about 6,000 characters of JSON
        List<String> hundred = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> CLUSTER_ID + java.util.UUID.randomUUID())
                .toList();
        Map<String, Object> variables = new HashMap<>();
        variables.put(FlowVariables.UPDATE_ID, UPDATE_ID);
        variables.put(FlowVariables.CLUSTER_ID, CLUSTER_ID);
        variables.put(FlowVariables.ROLLBACK, false);
        variables.put(FlowVariables.BATCH_MEMBERS, org.stratos.update.update.delegate.FlowLists.json(hundred));
        variables.put(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_AGENT);
        ProcessInstance batch =
                runtimeService().startProcessInstanceByKey(FlowNames.BATCH_UPDATE, UPDATE_ID, variables);

        // when
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));
        everyAgentReported(batch);
        execute(job(RECORD_OUTCOMES, batch));

        // then every step had the whole list
        assertThat(batch).isEnded();
        verify(batches).markUpdating(UPDATE_ID, batch.getId(), hundred, RunPhase.UPDATE);
        verify(batches).complete(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
    }

    @Test
    void aRollbackBatchTellsEveryStepItRollsBack() {
        // given
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, true, VMS);

        // when
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));
        everyAgentReported(batch);
        execute(job(RECORD_OUTCOMES, batch));

        // then
        assertThat(batch).hasPassed(END).isEnded();
        InOrder steps = inOrder(batches);
        steps.verify(batches).markUpdating(UPDATE_ID, batch.getId(), VMS, RunPhase.ROLLBACK);
        steps.verify(batches).sendCommands(UPDATE_ID, batch.getId(), RunPhase.ROLLBACK);
        steps.verify(batches).complete(UPDATE_ID, batch.getId(), RunPhase.ROLLBACK);
        verify(batches, never()).markUpdating(anyString(), anyString(), anyList(), eq(RunPhase.UPDATE));
    }

    @Test
    void missingReportsBeforeTheTimeIsUpAreChasedEveryResendIntervalAndTheBatchWaitsAgain() {
        // given a batch that looks again every 3 minutes
        ClockUtil.setCurrentTime(Date.from(NOW));
        Duration interval = Duration.ofMinutes(3);
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, false, VMS);
        when(batches.markUpdating(UPDATE_ID, batch.getId(), VMS, RunPhase.UPDATE))
                .thenReturn(interval);
        when(batches.chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE)).thenReturn(Wait.WAITING);
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));

        // then nothing is due before the interval is over
        assertThat(batch).variables().containsEntry(FlowVariables.RESEND_INTERVAL, "PT3M");
        Job lookAgain = job(LOOK_AGAIN, batch);
        assertThat(lookAgain.getDuedate()).isEqualTo(Date.from(NOW.plus(interval)));
        assertThat(dueJobs(batch)).isEmpty();

        // when the interval is over and reports are still missing
        ClockUtil.setCurrentTime(Date.from(NOW.plus(interval)));
        assertThat(dueJobs(batch)).containsExactly(lookAgain.getId());
        execute(lookAgain);

        // then the agents were chased and the batch waits again, for another interval
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS).variables().containsEntry(FlowVariables.BATCH_WAIT, "waiting");
        assertThat(job(LOOK_AGAIN, batch).getDuedate())
                .isEqualTo(Date.from(NOW.plus(interval).plus(interval)));
        assertThat(dueJobs(batch)).isEmpty();

        // when it looks again once more, still in vain
        ClockUtil.setCurrentTime(Date.from(NOW.plus(interval).plus(interval)));
        execute(job(LOOK_AGAIN, batch));
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS);

        // and the last agent reports while the flow waits
        everyAgentReported(batch);
        execute(job(RECORD_OUTCOMES, batch));

        // then
        assertThat(batch)
                .hasPassedInOrder(
                        SEND_COMMANDS,
                        WAIT_AGAIN,
                        WAIT_FOR_REPORTS,
                        LOOK_AGAIN,
                        CHASE,
                        EVERY_REPORT_IN,
                        WAIT_AGAIN,
                        WAIT_FOR_REPORTS,
                        LOOK_AGAIN,
                        CHASE,
                        EVERY_REPORT_IN,
                        WAIT_AGAIN,
                        WAIT_FOR_REPORTS,
                        REPORTS_IN,
                        RECORD_OUTCOMES,
                        END)
                .isEnded();
        InOrder steps = inOrder(batches);
        steps.verify(batches).sendCommands(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        steps.verify(batches, times(2)).chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        steps.verify(batches).complete(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        verify(batches, times(1))
                .sendCommands(anyString(), anyString(), any(RunPhase.class)); // resending is chase's part
    }

    @Test
    void aLastReportTheFlowMissedWhileLookingAgainIsFoundAtItsNextLook() {
        // given a batch waiting for its agents
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, false, VMS);
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));

        // when the last report arrives while the flow looks again (reports still missing when it counted them)
        AtomicReference<RuntimeException> refused = new AtomicReference<>();
        when(batches.chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE))
                .thenAnswer(invocation -> {
                    try {
                        everyAgentReported(batch);
                    } catch (RuntimeException e) {
                        refused.set(e);
                    }
                    return Wait.WAITING;
                })
                .thenReturn(Wait.REPORTED);
        execute(job(LOOK_AGAIN, batch));

        // then the report listener finds no flow waiting (it gives up after a few attempts), the flow waits again
        assertThat(refused.get()).isInstanceOf(MismatchingMessageCorrelationException.class);
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS).hasNotPassed(RECORD_OUTCOMES);

        // when it looks again, every report is in
        execute(job(LOOK_AGAIN, batch));

        // then it goes on without the message
        assertThat(batch).isWaitingAt(RECORD_OUTCOMES).variables().containsEntry(FlowVariables.BATCH_WAIT, "reported");
        execute(job(RECORD_OUTCOMES, batch));
        assertThat(batch)
                .hasPassedInOrder(
                        LOOK_AGAIN,
                        CHASE,
                        EVERY_REPORT_IN,
                        WAIT_AGAIN,
                        WAIT_FOR_REPORTS,
                        LOOK_AGAIN,
                        CHASE,
                        EVERY_REPORT_IN,
                        REPORTS_IN,
                        RECORD_OUTCOMES,
                        BATCH_DONE,
                        END)
                .isEnded();
        verify(batches, times(2)).chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        verify(batches).complete(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
    }

    @Test
    void whenTheTimeIsUpTheOutcomesAreRecordedWithoutTheMissingReports() {
        // given a batch whose agents stay silent
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, false, VMS);
        when(batches.chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE)).thenReturn(Wait.WAITING, Wait.TIMED_OUT);
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));
        execute(job(LOOK_AGAIN, batch));

        // when it looks again after the update's time limit
        execute(job(LOOK_AGAIN, batch));

        // then it stops waiting
        assertThat(batch).isWaitingAt(RECORD_OUTCOMES).variables().containsEntry(FlowVariables.BATCH_WAIT, "timedOut");
        assertThat(jobQuery()
                        .processInstanceId(batch.getId())
                        .activityId(LOOK_AGAIN)
                        .count())
                .isZero();

        // and a report that comes after that finds no flow waiting for it
        Quietly.run(() -> assertThatThrownBy(() -> everyAgentReported(batch))
                .isInstanceOf(MismatchingMessageCorrelationException.class));

        // when the outcomes are recorded
        execute(job(RECORD_OUTCOMES, batch));

        // then the batch is done: the silent members' failure is the outcome's business, not the flow's
        assertThat(batch)
                .hasPassedInOrder(
                        CHASE,
                        EVERY_REPORT_IN,
                        WAIT_AGAIN,
                        WAIT_FOR_REPORTS,
                        LOOK_AGAIN,
                        CHASE,
                        EVERY_REPORT_IN,
                        REPORTS_IN,
                        RECORD_OUTCOMES,
                        BATCH_DONE,
                        END)
                .isEnded();
        InOrder steps = inOrder(batches);
        steps.verify(batches, times(2)).chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        steps.verify(batches, times(1)).complete(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
    }

    @Test
    void aTechnicalFaultWhileSendingIsRetriedFiveTimesThenBecomesAnIncidentAnOperatorCanRetry() {
        // given the broker cannot be reached
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, false, VMS);
        when(batches.sendCommands(UPDATE_ID, batch.getId(), RunPhase.UPDATE))
                .thenThrow(new IllegalStateException("broker unreachable"));
        execute(job(MARK_UPDATING, batch));

        // when the send step fails on every attempt (R5/PT10S)
        Job send = job(SEND_COMMANDS, batch);
        Quietly.run(() -> {
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThatThrownBy(() -> managementService().executeJob(send.getId()))
                        .hasMessageContaining("broker unreachable");
                assertThat(job(SEND_COMMANDS, batch).getRetries()).isEqualTo(5 - attempt);
            }
        });

        // then it is an incident at the step; the batch neither waits nor records outcomes
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(batch.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo(SEND_COMMANDS);
        assertThat(incident.getIncidentMessage())
                .contains("broker unreachable")
                .contains(UPDATE_ID)
                .contains(String.join(", ", VMS))
                .startsWith("Send the update commands to the agents");
        assertThat(batch).isWaitingAt(SEND_COMMANDS).hasNotPassed(WAIT_FOR_REPORTS);
        verify(batches, times(1))
                .markUpdating(UPDATE_ID, batch.getId(), VMS, RunPhase.UPDATE); // the mark step is not redone
        verify(batches, never()).complete(anyString(), anyString(), any(RunPhase.class));

        // when the broker is back and an operator retries the job (as in Cockpit)
        doReturn(VMS.size()).when(batches).sendCommands(UPDATE_ID, batch.getId(), RunPhase.UPDATE);
        managementService().setJobRetries(send.getId(), 1);
        execute(job(SEND_COMMANDS, batch));

        // then the batch waits for its agents and the incident is resolved
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS);
        assertThat(runtimeService()
                        .createIncidentQuery()
                        .processInstanceId(batch.getId())
                        .count())
                .isZero();
    }

    @Test
    void aTechnicalFaultWhileLookingAgainIsRetriedByTheTimersJobAndTheLastReportStillEndsTheWait() {
        // given a batch waiting for its agents, and the database gone when it looks again
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_AGENT, false, VMS);
        when(batches.chase(UPDATE_ID, batch.getId(), RunPhase.UPDATE))
                .thenThrow(new IllegalStateException("database gone"));
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));

        // when every attempt fails (R5/PT10S on the timer)
        Job lookAgain = job(LOOK_AGAIN, batch);
        Quietly.run(() -> {
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThatThrownBy(() -> managementService().executeJob(lookAgain.getId()))
                        .hasMessageContaining("database gone");
                assertThat(job(LOOK_AGAIN, batch).getRetries()).isEqualTo(5 - attempt);
            }
        });

        // then it is an incident, and the flow still waits for the reports
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(batch.getId())
                .singleResult();
        assertThat(incident.getIncidentMessage()).contains("database gone");
        assertThat(incident.getJobDefinitionId()).isEqualTo(lookAgain.getJobDefinitionId());
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS).hasNotPassed(CHASE);

        // when the last agent reports
        everyAgentReported(batch);

        // then the wait ends, and the timer (with its incident) goes with it
        assertThat(batch).isWaitingAt(RECORD_OUTCOMES);
        assertThat(runtimeService()
                        .createIncidentQuery()
                        .processInstanceId(batch.getId())
                        .count())
                .isZero();
        execute(job(RECORD_OUTCOMES, batch));
        assertThat(batch).hasPassed(END).isEnded();
    }

    // ---- by replacement (containers)

    @Test
    void containersAreReplacedOneMemberFlowEachAndTheBatchIsDoneWhenTheLastHasEnded() {
        // given
        when(members.markUpdating(anyString(), anyString(), anyBoolean())).thenReturn(MemberUpdateFlowTest.REPLACE);

        // when
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_REPLACEMENT, false, CONTAINERS);

        // then one member flow per member, with the member's business key and variables
        assertThat(batch).isWaitingAt(REPLACE_MEMBERS);
        List<ProcessInstance> flows = memberFlowsOf(batch);
        assertThat(flows)
                .extracting(ProcessInstance::getBusinessKey)
                .containsExactly(UPDATE_ID + "/app.php.domain-c1", UPDATE_ID + "/app.php.domain-c2");
        for (int i = 0; i < flows.size(); i++) {
            assertThat(flows.get(i))
                    .isWaitingAt(MemberUpdateFlowTest.MARK_UPDATING)
                    .variables()
                    .containsEntry(FlowVariables.UPDATE_ID, UPDATE_ID)
                    .containsEntry(FlowVariables.CLUSTER_ID, CLUSTER_ID)
                    .containsEntry(FlowVariables.MEMBER_ID, CONTAINERS.get(i))
                    .containsEntry(FlowVariables.ROLLBACK, false);
        }

        // when the first member is replaced
        MemberUpdateFlowTest.replaced(flows.get(0));
        memberFlowsTakenBack(batch);

        // then the batch waits for the other
        assertThat(batch).isWaitingAt(REPLACE_MEMBERS).hasNotPassed(BATCH_DONE).isNotEnded();
        assertThat(memberFlowsOf(batch))
                .extracting(ProcessInstance::getId)
                .containsExactly(flows.get(1).getId());

        // when the other is replaced too
        MemberUpdateFlowTest.replaced(flows.get(1));
        memberFlowsTakenBack(batch);

        // then
        assertThat(batch)
                .hasPassedInOrder("startEvent_batchToUpdate", HOW_APPLIED, REPLACE_MEMBERS, BATCH_DONE, END)
                .hasNotPassed(MARK_UPDATING, SEND_COMMANDS, WAIT_FOR_REPORTS, RECORD_OUTCOMES)
                .isEnded();
        verify(members).markUpdated(UPDATE_ID, CONTAINERS.get(0), false);
        verify(members).markUpdated(UPDATE_ID, CONTAINERS.get(1), false);
        verifyNoInteractions(batches);
    }

    @Test
    void aContainerRollbackRunsTheMemberFlowsAsRollbacks() {
        // given
        when(members.markUpdating(anyString(), anyString(), anyBoolean())).thenReturn(MemberUpdateFlowTest.REPLACE);

        // when
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_REPLACEMENT, true, CONTAINERS);

        // then
        List<ProcessInstance> flows = memberFlowsOf(batch);
        assertThat(flows)
                .extracting(ProcessInstance::getBusinessKey)
                .containsExactly(UPDATE_ID + "/app.php.domain-c1/rollback", UPDATE_ID + "/app.php.domain-c2/rollback");
        assertThat(flows.get(0)).variables().containsEntry(FlowVariables.ROLLBACK, true);

        // when
        flows.forEach(MemberUpdateFlowTest::replaced);
        memberFlowsTakenBack(batch);

        // then
        assertThat(batch).hasPassed(REPLACE_MEMBERS, END).isEnded();
        for (String member : CONTAINERS) {
            verify(members).markUpdating(UPDATE_ID, member, true);
            verify(members).markUpdated(UPDATE_ID, member, true);
        }
        verify(members, never()).markUpdating(anyString(), anyString(), eq(false));
    }

    @Test
    void aFailedContainerDoesNotFailTheBatch() {
        // given
        when(members.markUpdating(anyString(), anyString(), anyBoolean())).thenReturn(MemberUpdateFlowTest.REPLACE);
        ProcessInstance batch = startBatch(FlowVariables.APPLY_BY_REPLACEMENT, false, CONTAINERS);
        List<ProcessInstance> flows = memberFlowsOf(batch);
        MemberUpdateFlowTest.replaced(flows.get(0));
        memberFlowsTakenBack(batch);

        // when the second member's replacement fails
        ProcessInstance failing = flows.get(1);
        execute(job(MemberUpdateFlowTest.MARK_UPDATING, failing));
        execute(job(MemberUpdateFlowTest.RETIRE_FIRST, failing));
        execute(job(MemberUpdateFlowTest.START_REPLACEMENT, failing));
        MemberUpdateFlowTest.replacementIs(
                failing.getBusinessKey(),
                FlowNames.MESSAGE_REPLACEMENT_FAILED,
                Map.of(FlowVariables.FAILURE_REASON, "image pull failed"));
        execute(job(MemberUpdateFlowTest.MARK_FAILED, failing));
        assertThat(failing).hasPassed("endEvent_memberFailed").isEnded();
        memberFlowsTakenBack(batch);

        // then the batch is done all the same: the cluster flow counts the failure
        assertThat(batch).hasPassed(REPLACE_MEMBERS, BATCH_DONE, END).isEnded();
        verify(members).markUpdated(UPDATE_ID, CONTAINERS.get(0), false);
        verify(members).markFailed(UPDATE_ID, CONTAINERS.get(1), false, "replacementFailed", "image pull failed");
    }

    // ---- helpers

    private static ProcessInstance startBatch(String applyMode, boolean rollback, List<String> batchMembers) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(FlowVariables.UPDATE_ID, UPDATE_ID);
        variables.put(FlowVariables.CLUSTER_ID, CLUSTER_ID);
        variables.put(FlowVariables.ROLLBACK, rollback);
        variables.put(FlowVariables.BATCH_MEMBERS, jsonList(batchMembers.toArray(String[]::new)));
        variables.put(FlowVariables.APPLY_MODE, applyMode);
        // the cluster flows start it as part of the update: its id is the business key
        return runtimeService().startProcessInstanceByKey(FlowNames.BATCH_UPDATE, UPDATE_ID, variables);
    }

    /** The memberUpdate flows the batch has started, by business key. */
    private static List<ProcessInstance> memberFlowsOf(ProcessInstance batch) {
        return processInstanceQuery()
                .processDefinitionKey(FlowNames.MEMBER_UPDATE)
                .superProcessInstanceId(batch.getId())
                .list()
                .stream()
                .sorted((a, b) -> a.getBusinessKey().compareTo(b.getBusinessKey()))
                .toList();
    }

    /** The jobs of the batch that are due now (on the engine's clock). */
    private static List<String> dueJobs(ProcessInstance batch) {
        return jobQuery().processInstanceId(batch.getId()).executable().list().stream()
                .map(Job::getId)
                .toList();
    }

    /** The member flows that have ended hand back to the batch: it runs the jobs its call activity left for them. */
    private void memberFlowsTakenBack(ProcessInstance batch) {
        batchFlows.callerTakesOver(batch, REPLACE_MEMBERS);
    }
}
