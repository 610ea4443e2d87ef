package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
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
import org.stratos.update.update.RunPhase;

/** clusterRollback: the compensation handler of the cluster flows; changed members back, last batch first. */
@Deployment(
        resources = {"processes/cluster-rollback.bpmn", "processes/batch-update.bpmn", "processes/member-update.bpmn"})
class ClusterRollbackFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.CLUSTER_ROLLBACK);

    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String PLAN = "serviceTask_planRollback";
    static final String ROLL_BACK_MEMBERS = "callActivity_rollBackMembers";

    @Test
    void rollsBackTheLastBatchFirstAndTheMembersOfABatchTogether() {
        // given three batches changed members
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(3, 2, 1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 3)).thenReturn(List.of("m5"));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 2)).thenReturn(List.of("m3", "m4"));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1", "m2"));
        ProcessInstance rollback = startRollback();

        // when
        execute(job(PLAN, rollback));

        // then one batch at a time, last first, never more members out of service than the batch had
        assertThat(batchFlows.running()).containsExactly(key("m5"));
        String third = batchRolledBack(rollback);
        assertThat(batchFlows.running()).containsExactly(key("m3"), key("m4"));
        String second = batchRolledBack(rollback);
        assertThat(batchFlows.running()).containsExactly(key("m1"), key("m2"));
        String first = batchRolledBack(rollback);

        assertThat(rollback)
                .hasPassedInOrder(PLAN, "subProcess_rollBackBatch", "serviceTask_recordRollback", "endEvent_rolledBack")
                .isEnded();
        assertThat(rollback)
                .variables()
                .containsEntry(FlowVariables.ROLLBACK, true)
                .containsEntry(FlowVariables.CLUSTER_OUTCOME, "ROLLED_BACK");
        InOrder order = inOrder(rollout, batches);
        order.verify(rollout).rollbackMembers(UPDATE_ID, CLUSTER_ID, 3);
        order.verify(batches).markUpdating(UPDATE_ID, third, List.of("m5"), RunPhase.ROLLBACK);
        order.verify(batches).complete(UPDATE_ID, third, RunPhase.ROLLBACK);
        order.verify(rollout).rollbackMembers(UPDATE_ID, CLUSTER_ID, 2);
        order.verify(batches).markUpdating(UPDATE_ID, second, List.of("m3", "m4"), RunPhase.ROLLBACK);
        order.verify(batches).complete(UPDATE_ID, second, RunPhase.ROLLBACK);
        order.verify(rollout).rollbackMembers(UPDATE_ID, CLUSTER_ID, 1);
        order.verify(batches).markUpdating(UPDATE_ID, first, List.of("m1", "m2"), RunPhase.ROLLBACK);
        order.verify(batches).complete(UPDATE_ID, first, RunPhase.ROLLBACK);
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, CLUSTER_ID);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
    }

    @Test
    void aMemberThatCannotBeRolledBackDoesNotHoldUpTheOthersAndTheRollbackEndsFailed() {
        // given two batches to roll back; in the last one m3's agent cannot roll back ("package 1.0.0 no longer in
        // the repository"): the batch service records m3 as failed with the outcomes, the flow does not see it
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(2, 1));
        when(rollout.recordClusterRolledBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLBACK_FAILED);
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 2)).thenReturn(List.of("m3", "m4"));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1", "m2"));
        ProcessInstance rollback = startRollback();
        execute(job(PLAN, rollback));

        // when the batch with m3 has every report in
        String withFailure = batchRolledBack(rollback);

        // then its outcomes are recorded and the rollback goes on with the other batch
        verify(batches).complete(UPDATE_ID, withFailure, RunPhase.ROLLBACK);
        assertThat(batchFlows.running()).containsExactly(key("m1"), key("m2"));
        String other = batchRolledBack(rollback);
        // and the rollback ends saying that not every member is back (Cockpit's end event and variable)
        assertThat(rollback)
                .hasPassedInOrder(
                        "serviceTask_recordRollback", "exclusiveGateway_everyMemberBack", "endEvent_rollbackFailed")
                .hasNotPassed("endEvent_rolledBack")
                .isEnded();
        assertThat(rollback).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "ROLLBACK_FAILED");
        verify(batches).markUpdating(UPDATE_ID, other, List.of("m1", "m2"), RunPhase.ROLLBACK);
        verify(batches).complete(UPDATE_ID, other, RunPhase.ROLLBACK);
        verify(rollout).recordClusterRolledBack(UPDATE_ID, CLUSTER_ID);
    }

    @Test
    void withNothingChangedThereIsNothingToRollBack() {
        // given
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of());
        ProcessInstance rollback = startRollback();

        // when
        execute(job(PLAN, rollback));

        // then
        assertThat(rollback)
                .hasPassedInOrder(PLAN, "serviceTask_recordRollback", "endEvent_rolledBack")
                .hasNotPassed("serviceTask_selectRollbackMembers")
                .isEnded();
        assertThat(batchFlows.running()).isEmpty();
        verify(batches, never()).markUpdating(anyString(), anyString(), anyList(), any(RunPhase.class));
        verify(batches, never()).complete(anyString(), anyString(), any(RunPhase.class));
    }

    private static ProcessInstance startRollback() {
        return runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.CLUSTER_ROLLBACK,
                        UPDATE_ID,
                        Map.of(FlowVariables.UPDATE_ID, UPDATE_ID, FlowVariables.CLUSTER_ID, CLUSTER_ID));
    }

    /** The batch under way is rolled back by its agents and its outcomes are recorded; answers the batch's id. */
    private String batchRolledBack(ProcessInstance rollback) {
        ProcessInstance batch = batchFlows.of(rollback);
        assertThat(batch)
                .variables()
                .containsEntry(FlowVariables.ROLLBACK, true)
                .containsEntry(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_AGENT);
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);
        return batch.getId();
    }

    private static String key(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, true);
    }
}
