package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.calledProcessInstance;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;
import org.stratos.update.update.ClusterOutcome;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RunPhase;

/** allAtOnceClusterUpdate: an incompatible update; the cluster goes down (Patching), every member at once. */
@Deployment(
        resources = {
            "processes/all-at-once-cluster-update.bpmn",
            "processes/batch-update.bpmn",
            "processes/member-update.bpmn",
            "processes/cluster-rollback.bpmn"
        })
class AllAtOnceClusterUpdateFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE);

    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String PLAN = "serviceTask_planClusterUpdate";
    static final String UPDATE_ALL = "callActivity_updateEveryMember";
    static final String ROLL_BACK = "callActivity_rollBackAllMembers";
    static final String ROLL_BACK_MEMBERS = "callActivity_rollBackMembers";

    @BeforeEach
    void threeMembers() {
        when(rollout.planCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of("m1", "m2", "m3"));
    }

    @Test
    void takesTheClusterDownUpdatesEveryMemberAtOnceAndBringsItBackOnTheNewVersion() {
        // given
        ProcessInstance cluster = startClusterUpdate();

        // when
        execute(job(PLAN, cluster));

        // then every member is under way at the same time (one batch), the cluster announced Patching first
        assertThat(batchFlows.running()).containsExactly(key("m1"), key("m2"), key("m3"));
        verify(rollout).announcePatching(UPDATE_ID, CLUSTER_ID);
        String batch = batchFlows.of(cluster).getId();

        // when
        batchFlows.batchApplied(cluster, UPDATE_ALL);

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        PLAN,
                        "serviceTask_announcePatching",
                        UPDATE_ALL,
                        "endEvent_allMembersDone",
                        "serviceTask_assessCluster",
                        "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome",
                        "serviceTask_bringBackUpdated",
                        "endEvent_clusterUpdated")
                .hasNotPassed("throwEvent_rollBack", ROLL_BACK, "serviceTask_bringBackFailed")
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED");
        InOrder order = inOrder(rollout, batches);
        order.verify(rollout).announcePatching(UPDATE_ID, CLUSTER_ID);
        order.verify(batches).markUpdating(UPDATE_ID, batch, List.of("m1", "m2", "m3"), RunPhase.UPDATE);
        order.verify(batches).complete(UPDATE_ID, batch, RunPhase.UPDATE);
        order.verify(rollout).budgetExceeded(UPDATE_ID, CLUSTER_ID);
        order.verify(rollout).concludeCluster(UPDATE_ID, CLUSTER_ID);
        order.verify(rollout).bringClusterBack(UPDATE_ID, CLUSTER_ID);
    }

    @Test
    void aFailureRollsTheWholeClusterBackBeforeItComesBackOnThePreviousVersion() {
        // given m2's agent fails (the batch service records it): past the budget, and auto-rollback is on
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(true);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLING_BACK);
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1", "m2", "m3"));
        when(rollout.bringClusterBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLED_BACK);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when the members' outcomes are in
        batchFlows.batchApplied(cluster, UPDATE_ALL);

        // then compensation rolls every changed member back, still with the cluster down
        assertThat(cluster).isWaitingAt("throwEvent_rollBack", ROLL_BACK);
        assertThat(cluster).variables().containsEntry(FlowVariables.BUDGET_EXCEEDED, true);
        verify(rollout, never()).bringClusterBack(anyString(), anyString());
        ProcessInstance rollback = calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, cluster);
        execute(job("serviceTask_planRollback", rollback));
        assertThat(batchFlows.running()).containsExactly(rollbackKey("m1"), rollbackKey("m2"), rollbackKey("m3"));
        String batch = batchFlows.of(rollback).getId();
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);

        // and the cluster comes back on the previous version
        assertThat(cluster)
                .hasPassedInOrder(
                        "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome",
                        "throwEvent_rollBack",
                        "serviceTask_bringBackRolledBack",
                        "exclusiveGateway_everyMemberBack",
                        "endEvent_clusterRolledBack")
                .hasPassed(ROLL_BACK)
                .hasNotPassed("serviceTask_bringBackUpdated", "endEvent_clusterRollbackFailed")
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "ROLLED_BACK");
        InOrder order = inOrder(rollout, batches);
        order.verify(batches).markUpdating(UPDATE_ID, batch, List.of("m1", "m2", "m3"), RunPhase.ROLLBACK);
        order.verify(batches).complete(UPDATE_ID, batch, RunPhase.ROLLBACK);
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, CLUSTER_ID);
        order.verify(rollout).bringClusterBack(UPDATE_ID, CLUSTER_ID);
    }

    @Test
    void withoutAutoRollbackAFailedClusterComesBackAsItIs() {
        // given m1's and m2's agents fail (the batch service records them): past the budget, auto-rollback off
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(true);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.FAILED);
        when(rollout.bringClusterBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.FAILED);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when the members' outcomes are in
        batchFlows.batchApplied(cluster, UPDATE_ALL);

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        "exclusiveGateway_outcome", "serviceTask_bringBackFailed", "endEvent_clusterNotUpdated")
                .hasNotPassed("throwEvent_rollBack", ROLL_BACK)
                .isEnded();
        verify(rollout).bringClusterBack(UPDATE_ID, CLUSTER_ID);
        assertThat(cluster)
                .variables()
                .containsEntry(FlowVariables.CLUSTER_OUTCOME, "FAILED")
                .containsEntry(FlowVariables.BUDGET_EXCEEDED, true);
        assertThat(batchFlows.running()).isEmpty();
        verify(batches, never()).markUpdating(anyString(), anyString(), anyList(), eq(RunPhase.ROLLBACK));
    }

    @Test
    void membersThatCouldNotBeRolledBackEndTheClusterRollbackFailed() {
        // given every agent failed and then could not roll back: the rollback records ROLLBACK_FAILED
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(true);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLING_BACK);
        when(rollout.rollbackBatches(UPDATE_ID, CLUSTER_ID)).thenReturn(List.of(1));
        when(rollout.rollbackMembers(UPDATE_ID, CLUSTER_ID, 1)).thenReturn(List.of("m1", "m2", "m3"));
        when(rollout.recordClusterRolledBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLBACK_FAILED);
        when(rollout.bringClusterBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.ROLLBACK_FAILED);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));
        batchFlows.batchApplied(cluster, UPDATE_ALL);
        ProcessInstance rollback = calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, cluster);
        execute(job("serviceTask_planRollback", rollback));

        // when
        batchFlows.batchApplied(rollback, ROLL_BACK_MEMBERS);

        // then the cluster comes back (Active, or Inactive when no member serves: the service decides), and the
        // flow ends saying the rollback failed
        assertThat(cluster)
                .hasPassedInOrder(
                        "throwEvent_rollBack",
                        "serviceTask_bringBackRolledBack",
                        "exclusiveGateway_everyMemberBack",
                        "endEvent_clusterRollbackFailed")
                .hasNotPassed("endEvent_clusterRolledBack")
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "ROLLBACK_FAILED");
    }

    @Test
    void aClusterWithMembersNotOnTheNewVersionWithinTheBudgetEndsUpdatedWithFailures() {
        // given m3 failed (maxFailures 1) or was not applied: the cluster went through, not every member is there
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.UPDATED_WITH_FAILURES);
        when(rollout.bringClusterBack(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.UPDATED_WITH_FAILURES);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when
        batchFlows.batchApplied(cluster, UPDATE_ALL);

        // then
        assertThat(cluster)
                .hasPassedInOrder(
                        "exclusiveGateway_outcome",
                        "serviceTask_bringBackUpdated",
                        "exclusiveGateway_everyMemberUpdated",
                        "endEvent_clusterUpdatedWithFailures")
                .hasNotPassed("endEvent_clusterUpdated", "throwEvent_rollBack")
                .isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED_WITH_FAILURES");
    }

    private static ProcessInstance startClusterUpdate() {
        return runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE,
                        UPDATE_ID,
                        Map.of(FlowVariables.UPDATE_ID, UPDATE_ID, FlowVariables.CLUSTER_ID, CLUSTER_ID));
    }

    private static String key(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, false);
    }

    private static String rollbackKey(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, true);
    }
}
