package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.calledProcessInstance;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
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
import org.stratos.update.update.ClusterOutcome;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService.NextStep;
import org.stratos.update.update.RolloutStep;
import org.stratos.update.update.RunPhase;

/** phasedClusterUpdate: a compatible update of one cluster, batch after batch. */
@Deployment(
        resources = {
            "processes/phased-cluster-update.bpmn",
            "processes/batch-update.bpmn",
            "processes/member-update.bpmn",
            "processes/cluster-rollback.bpmn"
        })
class PhasedClusterUpdateFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.PHASED_CLUSTER_UPDATE);

    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String PLAN = "serviceTask_planBatches";
    static final String DECIDE = "serviceTask_decideNextStep";
    static final String UPDATE_BATCH = "callActivity_updateBatch";
    static final String ASSESS = "serviceTask_assessBatch";
    static final String BAKE = "timerEvent_bake";
    static final String APPROVE = "userTask_approveNextBatch";
    static final String PAUSED = "eventBasedGateway_paused";
    static final String ROLL_BACK = "callActivity_rollBackChangedMembers";
    static final String ROLL_BACK_MEMBERS = "callActivity_rollBackMembers";

    @Test
    void rollsOutSeveralBatchesOneAfterAnotherAndEndsUpdated() {
        // given
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(batch(1, "m1", "m2"), batch(2, "m3", "m4"), batch(3, "m5"), done());
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when
        execute(job(DECIDE, cluster));
        assertThat(batchFlows.running()).containsExactly(key("m1"), key("m2"));
        String first = batchApplied(cluster, "m1", "m2");
        execute(job(DECIDE, cluster));
        assertThat(batchFlows.running()).containsExactly(key("m3"), key("m4"));
        String second = batchApplied(cluster, "m3", "m4");
        execute(job(DECIDE, cluster));
        String third = batchApplied(cluster, "m5");
        execute(job(DECIDE, cluster));

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        PLAN,
                        DECIDE,
                        UPDATE_BATCH,
                        ASSESS,
                        "exclusiveGateway_budgetExceeded",
                        "exclusiveGateway_bake",
                        "exclusiveGateway_nextStep",
                        DECIDE,
                        "endEvent_allBatchesDone",
                        "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome",
                        "endEvent_clusterUpdated")
                .hasNotPassed(BAKE, APPROVE, PAUSED, "endEvent_budgetExceeded", "throwEvent_rollBack", ROLL_BACK)
                .isEnded();
        assertThat(cluster)
                .variables()
                .containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED")
                .containsEntry(FlowVariables.ROLLBACK, false)
                .containsEntry(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_AGENT);
        // one batch flow after another, each its members marked together and their outcomes recorded together
        InOrder order = inOrder(batches, rollout);
        order.verify(batches).markUpdating(UPDATE_ID, first, List.of("m1", "m2"), RunPhase.UPDATE);
        order.verify(batches).complete(UPDATE_ID, first, RunPhase.UPDATE);
        order.verify(rollout).budgetExceeded(UPDATE_ID, CLUSTER_ID);
        order.verify(batches).markUpdating(UPDATE_ID, second, List.of("m3", "m4"), RunPhase.UPDATE);
        order.verify(batches).complete(UPDATE_ID, second, RunPhase.UPDATE);
        order.verify(rollout).budgetExceeded(UPDATE_ID, CLUSTER_ID);
        order.verify(batches).markUpdating(UPDATE_ID, third, List.of("m5"), RunPhase.UPDATE);
        order.verify(batches).complete(UPDATE_ID, third, RunPhase.UPDATE);
        order.verify(rollout).budgetExceeded(UPDATE_ID, CLUSTER_ID);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
        verify(rollout).planCluster(UPDATE_ID, CLUSTER_ID);
        verify(rollout).applyMode(CLUSTER_ID);
        verify(rollout, never()).rollbackBatches(anyString(), anyString());
    }

    @Test
    void aFailedMemberWithinTheFailureBudgetDoesNotStopTheRollOutAndTheClusterEndsUpdatedWithFailures() {
        // given
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenReturn(batch(1, "m1", "m2"), batch(2, "m3"), done());
        // m2's agent fails (the batch service records it out of service): one failure is within the budget
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(false);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.UPDATED_WITH_FAILURES);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));

        // when the batch's outcomes are in
        String batch = batchApplied(cluster, "m1", "m2");

        // then the failures were counted once the outcomes were recorded, and the next batch starts
        InOrder order = inOrder(batches, rollout);
        order.verify(batches).complete(UPDATE_ID, batch, RunPhase.UPDATE);
        order.verify(rollout).budgetExceeded(UPDATE_ID, CLUSTER_ID);
        assertThat(cluster).isWaitingAt(DECIDE).hasNotPassed("endEvent_budgetExceeded");
        assertThat(cluster).variables().containsEntry(FlowVariables.BUDGET_EXCEEDED, false);
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m3");
        execute(job(DECIDE, cluster));
        // and the end says that not every member is on the new version
        assertThat(cluster)
                .hasPassedInOrder(
                        "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome",
                        "endEvent_clusterUpdatedWithFailures")
                .hasNotPassed(ROLL_BACK, "endEvent_clusterUpdated")
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED_WITH_FAILURES");
    }

    @Test
    void exceedingTheFailureBudgetStopsTheRollOutAndCompensationRollsBackTheLastBatchFirst() {
        // given batch 1 went well, batch 2 fails past the budget
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenReturn(batch(1, "m1"), batch(2, "m2", "m3"));
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(false, true);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLING_BACK);
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(2, 1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 2)).thenReturn(List.of("m2", "m3"));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1"));
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m1");
        execute(job(DECIDE, cluster));

        // when batch 2's outcomes are in (m2's agent failed: the budget is spent)
        batchApplied(cluster, "m2", "m3");

        // then no new batch: the roll-out ends and compensation starts the cluster rollback
        assertThat(cluster)
                .hasPassedInOrder(
                        ASSESS,
                        "exclusiveGateway_budgetExceeded",
                        "endEvent_budgetExceeded",
                        "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome")
                .isWaitingAt("throwEvent_rollBack", ROLL_BACK);
        ProcessInstance rollback = calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, cluster);
        assertThat(rollback.getBusinessKey()).isEqualTo(UPDATE_ID);
        execute(job("serviceTask_planRollback", rollback));

        // and the last batch goes back first, its members together, then the first batch
        assertThat(batchFlows.running()).containsExactly(rollbackKey("m2"), rollbackKey("m3"));
        String last = batchFlows.of(rollback).getId();
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);
        assertThat(batchFlows.running()).containsExactly(rollbackKey("m1"));
        String first = batchFlows.of(rollback).getId();
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);

        assertThat(rollback).isEnded();
        assertThat(cluster)
                .hasPassedInOrder("throwEvent_rollBack", "serviceTask_recordRollback", "endEvent_clusterRolledBack")
                .hasPassed(ROLL_BACK)
                .hasNotPassed("endEvent_clusterUpdated")
                .isEnded();
        assertThat(cluster)
                .variables()
                .containsEntry(FlowVariables.CLUSTER_OUTCOME, "ROLLED_BACK")
                .containsEntry(FlowVariables.BUDGET_EXCEEDED, true);
        InOrder order = inOrder(batches);
        order.verify(batches).markUpdating(UPDATE_ID, last, List.of("m2", "m3"), RunPhase.ROLLBACK);
        order.verify(batches).complete(UPDATE_ID, last, RunPhase.ROLLBACK);
        order.verify(batches).markUpdating(UPDATE_ID, first, List.of("m1"), RunPhase.ROLLBACK);
        order.verify(batches).complete(UPDATE_ID, first, RunPhase.ROLLBACK);
        verify(rollout, times(2)).decideNextStep(UPDATE_ID, CLUSTER_ID); // no batch after the budget was spent
    }

    @Test
    void eachBatchBakesBeforeTheNextIsDecided() {
        // given
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now));
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenReturn(batch(1, Duration.ofMinutes(5), "m1"), done());
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));

        // when
        batchApplied(cluster, "m1");

        // then the batch bakes for bakeTime
        assertThat(cluster).isWaitingAt(BAKE).variables().containsEntry(FlowVariables.BAKE_TIME, "PT5M");
        assertThat(job(BAKE, cluster).getDuedate()).isEqualTo(Date.from(now.plus(Duration.ofMinutes(5))));
        execute(job(BAKE, cluster));
        assertThat(cluster).isWaitingAt(DECIDE);
        execute(job(DECIDE, cluster));
        assertThat(cluster)
                .hasPassedInOrder("exclusiveGateway_bake", BAKE, "exclusiveGateway_nextStep", DECIDE)
                .hasPassed("endEvent_clusterUpdated")
                .isEnded();
    }

    @Test
    void theNextBatchWaitsForAnOperatorsApproval() {
        // given approval after the first batch (a canary)
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(batch(1, "m1"), approve(2), batch(2, "m2", "m3"), done());
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m1");

        // when
        execute(job(DECIDE, cluster));

        // then the flow waits at the gate; no member is being updated
        assertThat(cluster).isWaitingAt(APPROVE);
        assertThat(task(cluster)).hasCandidateGroup("stratos-operators");
        assertThat(batchFlows.running()).isEmpty();
        verify(rollout, never()).recordApproval(anyString(), anyString(), anyInt());

        // when an operator approves (Tasklist, or the API completing the task)
        complete(task(APPROVE, cluster), withVariables(FlowVariables.APPROVAL_DECISION, "approve"));

        // then the approval is recorded for batch 2 and the batch starts
        verify(rollout).recordApproval(UPDATE_ID, CLUSTER_ID, 2);
        execute(job(DECIDE, cluster));
        assertThat(batchFlows.running()).containsExactly(key("m2"), key("m3"));
        batchApplied(cluster, "m2", "m3");
        execute(job(DECIDE, cluster));
        assertThat(cluster)
                .hasPassedInOrder(
                        APPROVE, "serviceTask_recordApproval", "exclusiveGateway_nextStep", DECIDE, UPDATE_BATCH)
                .hasPassed("endEvent_clusterUpdated")
                .isEnded();
    }

    @Test
    void anOperatorWhoStopsAtTheGateEndsTheRollOutAndTheMembersStayAsTheyAre() {
        // given the canary batch ran and the flow waits at the gate
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenReturn(batch(1, "m1"), approve(2));
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ABORTED);
        ProcessInstance cluster = waitingAtTheGateAfter("m1");

        // when the operator decides to stop
        complete(task(APPROVE, cluster), withVariables(FlowVariables.APPROVAL_DECISION, "stop"));

        // then the stop is recorded as an abort without rollback, no batch starts, the cluster is concluded
        verify(updates).stopAtApproval(UPDATE_ID, false, null);
        verify(rollout, never()).recordApproval(anyString(), anyString(), anyInt());
        assertThat(batchFlows.running()).isEmpty();
        assertThat(cluster)
                .hasPassedInOrder(
                        APPROVE,
                        "exclusiveGateway_approvalDecision",
                        "serviceTask_recordStop",
                        "endEvent_rollOutStopped",
                        "serviceTask_concludeCluster",
                        "endEvent_clusterNotUpdated")
                .hasNotPassed("serviceTask_recordApproval", ROLL_BACK)
                .isEnded();
    }

    @Test
    void anOperatorWhoStopsAtTheGateWithRollbackHasTheChangedMembersBroughtBack() {
        // given
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenReturn(batch(1, "m1"), approve(2));
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLING_BACK);
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1"));
        ProcessInstance cluster = waitingAtTheGateAfter("m1");

        // when
        complete(task(APPROVE, cluster), withVariables(FlowVariables.APPROVAL_DECISION, "stopAndRollBack"));

        // then the stop is recorded with rollback and compensation brings the canary back
        verify(updates).stopAtApproval(UPDATE_ID, true, null);
        ProcessInstance rollback = calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, cluster);
        execute(job("serviceTask_planRollback", rollback));
        assertThat(batchFlows.running()).containsExactly(rollbackKey("m1"));
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);
        assertThat(cluster)
                .hasPassedInOrder(
                        "serviceTask_recordStop",
                        "endEvent_rollOutStopped",
                        "serviceTask_concludeCluster",
                        "throwEvent_rollBack",
                        "endEvent_clusterRolledBack")
                .isEnded();
    }

    @Test
    void theGateCannotBeCompletedWithoutADecisionAndEveryGateAsksAfresh() {
        // given approval before every batch; the first gate was approved
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(batch(1, "m1"), approve(2), batch(2, "m2"), approve(3));
        ProcessInstance cluster = waitingAtTheGateAfter("m1");
        complete(task(APPROVE, cluster), withVariables(FlowVariables.APPROVAL_DECISION, "approve"));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m2");
        execute(job(DECIDE, cluster));
        assertThat(cluster).isWaitingAt(APPROVE);

        // when a client completes the second gate without a decision, or with one that is not a decision
        String taskId = task(APPROVE, cluster).getId();
        assertThatThrownBy(() -> taskService().complete(taskId))
                .hasMessageContaining("approvalDecision")
                .hasMessageContaining("not set");
        assertThatThrownBy(() -> taskService().complete(taskId, Map.of(FlowVariables.APPROVAL_DECISION, "yes")))
                .hasMessageContaining("[approve, stop, stopAndRollBack]")
                .hasMessageContaining("'yes'");

        // then the flow still waits there: the first gate's "approve" did not carry over
        assertThat(cluster).isWaitingAt(APPROVE);
        verify(rollout, times(1)).recordApproval(anyString(), anyString(), anyInt());
    }

    @Test
    void aPausedUpdateWaitsUntilItIsResumed() {
        // given a pause was requested while batch 1 ran
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(batch(1, "m1"), pause(), pause(), batch(2, "m2"), done());
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m1");

        // when
        execute(job(DECIDE, cluster));

        // then it waits for resume or abort, looking again now and then
        assertThat(cluster).isWaitingAt(PAUSED);
        assertThat(batchFlows.running()).isEmpty();
        execute(job("timerEvent_lookAgain", cluster));
        execute(job(DECIDE, cluster));
        assertThat(cluster).isWaitingAt(PAUSED);

        // when the update is resumed (as UpdateService.resume correlates it)
        correlate(FlowNames.MESSAGE_UPDATE_RESUMED);

        // then the next batch goes
        assertThat(cluster)
                .hasPassedInOrder(PAUSED, "messageEvent_resumed", "exclusiveGateway_nextStep")
                .isWaitingAt(DECIDE);
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m2");
        execute(job(DECIDE, cluster));
        assertThat(cluster)
                .hasPassed("timerEvent_lookAgain", "endEvent_clusterUpdated")
                .hasNotPassed("messageEvent_aborted")
                .isEnded();
    }

    @Test
    void anAbortWithoutRollbackLeavesTheChangedMembersAsTheyAre() {
        // given a paused update
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(batch(1, "m1"), pause(), stop("aborted by an operator"));
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ABORTED);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m1");
        execute(job(DECIDE, cluster));

        // when it is aborted
        correlate(FlowNames.MESSAGE_UPDATE_ABORTED);
        execute(job(DECIDE, cluster));

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        PAUSED,
                        "messageEvent_aborted",
                        DECIDE,
                        "exclusiveGateway_whatNext",
                        "endEvent_rollOutStopped",
                        "serviceTask_concludeCluster",
                        "endEvent_clusterNotUpdated")
                .hasNotPassed("throwEvent_rollBack", ROLL_BACK)
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "ABORTED");
        verify(batches, never()).markUpdating(anyString(), anyString(), anyList(), eq(RunPhase.ROLLBACK));
    }

    @Test
    void anAbortWithRollbackBringsTheChangedMembersBack() {
        // given batch 1 is done and an abort with rollback was requested meanwhile
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(batch(1, "m1", "m2"), stop("aborted by an operator"));
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLING_BACK);
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1", "m2"));
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m1", "m2");

        // when
        execute(job(DECIDE, cluster));

        // then
        ProcessInstance rollback = calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, cluster);
        execute(job("serviceTask_planRollback", rollback));
        assertThat(batchFlows.running()).containsExactly(rollbackKey("m1"), rollbackKey("m2"));
        String batch = batchFlows.of(rollback).getId();
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);
        assertThat(cluster)
                .hasPassedInOrder(
                        "endEvent_rollOutStopped",
                        "serviceTask_concludeCluster",
                        "throwEvent_rollBack",
                        "serviceTask_recordRollback",
                        "endEvent_clusterRolledBack")
                .hasPassed(ROLL_BACK)
                .isEnded();
        verify(rollout, times(2)).recordClusterRolledBack(UPDATE_ID, CLUSTER_ID);
        verify(batches).markUpdating(UPDATE_ID, batch, List.of("m1", "m2"), RunPhase.ROLLBACK);
        verify(batches).complete(UPDATE_ID, batch, RunPhase.ROLLBACK);
    }

    @Test
    void aRollbackThatLeavesAMemberNotBackEndsRollbackFailed() {
        // given batch 1 failed past the budget, and m2 cannot be rolled back (the rollback records it)
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenReturn(batch(1, "m1", "m2"));
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(true);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLING_BACK);
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1", "m2"));
        when(rollout.recordClusterRolledBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLBACK_FAILED);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, "m1", "m2");
        ProcessInstance rollback = calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, cluster);
        execute(job("serviceTask_planRollback", rollback));

        // when
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        "throwEvent_rollBack",
                        "serviceTask_recordRollback",
                        "exclusiveGateway_everyMemberBack",
                        "endEvent_clusterRollbackFailed")
                .hasNotPassed("endEvent_clusterRolledBack")
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "ROLLBACK_FAILED");
    }

    @Test
    void aClusterBelowItsHealthyFloorStopsWithoutRollbackWhenAutoRollbackIsOff() {
        // given
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID))
                .thenReturn(stop("only 2 of 4 members are Active; minHealthyPercent 75% requires 3"));
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.FAILED);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when
        execute(job(DECIDE, cluster));

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        DECIDE,
                        "exclusiveGateway_whatNext",
                        "endEvent_rollOutStopped",
                        "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome",
                        "endEvent_clusterNotUpdated")
                .hasNotPassed(UPDATE_BATCH, "throwEvent_rollBack")
                .isEnded();
        assertThat(batchFlows.running()).isEmpty();
    }

    @Test
    void aTechnicalFaultWhileDecidingIsRetriedFiveTimesThenBecomesAnIncident() {
        // given
        when(rollout.decideNextStep(UPDATE_ID, CLUSTER_ID)).thenThrow(new IllegalStateException("database gone"));
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when every attempt fails
        Job decide = job(DECIDE, cluster);
        Quietly.run(() -> {
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThatThrownBy(() -> managementService().executeJob(decide.getId()))
                        .hasMessageContaining("database gone");
                assertThat(job(DECIDE, cluster).getRetries()).isEqualTo(5 - attempt); // R5/PT10S
            }
        });

        // then
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(cluster.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo(DECIDE);
        assertThat(cluster).isWaitingAt(DECIDE).hasNotPassed("endEvent_rollOutStopped");
    }

    // ---- helpers

    private static ProcessInstance startClusterUpdate() {
        return runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.PHASED_CLUSTER_UPDATE,
                        UPDATE_ID,
                        Map.of(FlowVariables.UPDATE_ID, UPDATE_ID, FlowVariables.CLUSTER_ID, CLUSTER_ID));
    }

    /**
     * The batch under way (of these members) is applied: every agent reports, the outcomes are recorded (which
     * members failed is the mocked batch service's business); the cluster flow takes over. Answers the batch's id.
     */
    private String batchApplied(ProcessInstance cluster, String... batch) {
        ProcessInstance flow = batchFlows.of(cluster);
        assertThat(flow)
                .variables()
                .containsEntry(FlowVariables.BATCH_MEMBERS, jsonList(batch))
                .containsEntry(FlowVariables.ROLLBACK, false)
                .containsEntry(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_AGENT);
        batchFlows.batchApplied(cluster, UPDATE_BATCH);
        return flow.getId();
    }

    private static void correlate(String message) {
        runtimeService()
                .createMessageCorrelation(message)
                .processInstanceBusinessKey(UPDATE_ID)
                .correlateAllWithResult();
    }

    /** A phased cluster update whose first batch (these members) ran, now waiting at the approval gate. */
    private ProcessInstance waitingAtTheGateAfter(String... firstBatch) {
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        execute(job(DECIDE, cluster));
        batchApplied(cluster, firstBatch);
        execute(job(DECIDE, cluster));
        assertThat(cluster).isWaitingAt(APPROVE);
        return cluster;
    }

    private static String key(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, false);
    }

    private static String rollbackKey(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, true);
    }

    static NextStep batch(int number, String... members) {
        return batch(number, Duration.ZERO, members);
    }

    static NextStep batch(int number, Duration bake, String... members) {
        return new NextStep(RolloutStep.BATCH, number, List.of(members), bake, null);
    }

    static NextStep done() {
        return new NextStep(RolloutStep.DONE, 0, List.of(), Duration.ZERO, null);
    }

    static NextStep pause() {
        return new NextStep(RolloutStep.PAUSE, 0, List.of(), Duration.ZERO, null);
    }

    static NextStep approve(int batch) {
        return new NextStep(RolloutStep.APPROVE, batch, List.of(), Duration.ZERO, null);
    }

    static NextStep stop(String reason) {
        return new NextStep(RolloutStep.STOP, 0, List.of(), Duration.ZERO, reason);
    }
}
