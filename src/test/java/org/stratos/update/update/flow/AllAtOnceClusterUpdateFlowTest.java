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

/** allAtOnceClusterUpdate: an incompatible update; the cluster goes down (Patching), every member at once. */
@Deployment(resources = {"processes/all-at-once-cluster-update.bpmn", "processes/batch-update.bpmn",
        "processes/member-update.bpmn", "processes/cluster-rollback.bpmn"})
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
        assertThat(cluster).hasPassedInOrder(PLAN, "serviceTask_announcePatching", UPDATE_ALL,
                        "endEvent_allMembersDone", "serviceTask_assessCluster", "serviceTask_concludeCluster",
                        "exclusiveGateway_outcome", "serviceTask_bringBackUpdated", "endEvent_clusterUpdated")
                .hasNotPassed("throwEvent_rollBack", ROLL_BACK, "serviceTask_bringBackFailed").isEnded();
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED");
        InOrder order = inOrder(rollout, batches);
        order.verify(rollout).announcePatching(UPDATE_ID, CLUSTER_ID);
        order.verify(batches).markUpdating(UPDATE_ID, batch, List.of("m1", "m2", "m3"), false);
        order.verify(batches).complete(UPDATE_ID, batch, false);
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
        assertThat(cluster).hasPassedInOrder("serviceTask_concludeCluster", "exclusiveGateway_outcome",
                        "throwEvent_rollBack", "serviceTask_bringBackRolledBack", "endEvent_clusterRolledBack")
                .hasPassed(ROLL_BACK).hasNotPassed("serviceTask_bringBackUpdated").isEnded();
        InOrder order = inOrder(rollout, batches);
        order.verify(batches).markUpdating(UPDATE_ID, batch, List.of("m1", "m2", "m3"), true);
        order.verify(batches).complete(UPDATE_ID, batch, true);
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, CLUSTER_ID);
        order.verify(rollout).bringClusterBack(UPDATE_ID, CLUSTER_ID);
    }

    @Test
    void withoutAutoRollbackAFailedClusterComesBackAsItIs() {
        // given m1's and m2's agents fail (the batch service records them): past the budget, auto-rollback off
        when(rollout.budgetExceeded(UPDATE_ID, CLUSTER_ID)).thenReturn(true);
        when(rollout.concludeCluster(UPDATE_ID, CLUSTER_ID)).thenReturn(ClusterOutcome.FAILED);
        ProcessInstance cluster = startClusterUpdate();
        execute(job(PLAN, cluster));

        // when the members' outcomes are in
        batchFlows.batchApplied(cluster, UPDATE_ALL);

        // then
        assertThat(cluster).hasPassedInOrder("exclusiveGateway_outcome", "serviceTask_bringBackFailed",
                "endEvent_clusterNotUpdated").hasNotPassed("throwEvent_rollBack", ROLL_BACK).isEnded();
        verify(rollout).bringClusterBack(UPDATE_ID, CLUSTER_ID);
        assertThat(cluster).variables().containsEntry(FlowVariables.CLUSTER_OUTCOME, "FAILED")
                .containsEntry(FlowVariables.BUDGET_EXCEEDED, true);
        assertThat(batchFlows.running()).isEmpty();
        verify(batches, never()).markUpdating(anyString(), anyString(), anyList(), eq(true));
    }

    private static ProcessInstance startClusterUpdate() {
        return runtimeService().startProcessInstanceByKey(FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE, UPDATE_ID,
                Map.of(FlowVariables.UPDATE_ID, UPDATE_ID, FlowVariables.CLUSTER_ID, CLUSTER_ID));
    }

    private static String key(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, false);
    }

    private static String rollbackKey(String member) {
        return FlowNames.memberBusinessKey(UPDATE_ID, member, true);
    }
}
