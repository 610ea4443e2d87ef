package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.calledProcessInstance;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.stratos.update.update.flow.PhasedClusterUpdateFlowTest.batch;
import static org.stratos.update.update.flow.PhasedClusterUpdateFlowTest.done;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
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
import org.stratos.update.update.RolloutService.NextCluster;
import org.stratos.update.update.UpdateService.Prepared;

/** softwareUpdate: one update of an application, its clusters one after another in startup order. */
@Deployment(resources = {"processes/software-update.bpmn", "processes/phased-cluster-update.bpmn",
        "processes/all-at-once-cluster-update.bpmn", "processes/batch-update.bpmn", "processes/member-update.bpmn",
        "processes/cluster-rollback.bpmn"})
class SoftwareUpdateFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.SOFTWARE_UPDATE);
    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String TAKE_NEXT = "serviceTask_takeNextCluster";
    static final String UPDATE_CLUSTER = "callActivity_updateCluster";
    static final String ROLL_BACK_CLUSTERS = "callActivity_rollBackUpdatedClusters";
    static final String DB = "app.mysql.domain";
    static final String PHP = "app.php.domain";
    static final String LB = "app.lb.domain";

    @BeforeEach
    void theUpdateIsRecorded() {
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared(UPDATE_ID, null));
    }

    @Test
    void updatesTheClustersOneAfterAnotherInTheOrderTakeNextClusterGives() {
        // given mysql (compatible: phased) before php (incompatible: all at once)
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE),
                next(PHP, FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE), outcome("COMPLETED"));
        when(rollout.decideNextStep(UPDATE_ID, DB)).thenReturn(batch(1, "db-1"), done());
        when(rollout.planCluster(UPDATE_ID, PHP)).thenReturn(List.of("php-1", "php-2"));
        ProcessInstance update = startUpdate();

        // when the first cluster is taken
        execute(job(TAKE_NEXT, update));

        // then only its flow runs, as the same update (business key)
        ProcessInstance db = calledProcessInstance(FlowNames.PHASED_CLUSTER_UPDATE, update);
        assertThat(db.getBusinessKey()).isEqualTo(UPDATE_ID);
        assertThat(clusterFlows()).containsExactly(FlowNames.PHASED_CLUSTER_UPDATE);
        execute(job(PhasedClusterUpdateFlowTest.PLAN, db));
        execute(job(PhasedClusterUpdateFlowTest.DECIDE, db));
        batchFlows.batchApplied(db, PhasedClusterUpdateFlowTest.UPDATE_BATCH);
        execute(job(PhasedClusterUpdateFlowTest.DECIDE, db));
        assertThat(db).isEnded();

        // when the next cluster is taken, only after the first ended
        assertThat(update).isWaitingAt(TAKE_NEXT);
        execute(job(TAKE_NEXT, update));
        ProcessInstance php = calledProcessInstance(FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE, update);
        execute(job(AllAtOnceClusterUpdateFlowTest.PLAN, php));
        batchFlows.batchApplied(php, AllAtOnceClusterUpdateFlowTest.UPDATE_ALL);
        execute(job(TAKE_NEXT, update));

        // then
        assertThat(update).hasPassedInOrder("serviceTask_prepareUpdate", TAKE_NEXT, "exclusiveGateway_clusterLeft",
                        UPDATE_CLUSTER, TAKE_NEXT, UPDATE_CLUSTER, TAKE_NEXT, "endEvent_clustersDone",
                        "exclusiveGateway_updateOutcome", "serviceTask_recordCompleted", "endEvent_updateCompleted")
                .hasNotPassed("throwEvent_rollBackClusters", ROLL_BACK_CLUSTERS).isEnded();
        assertThat(update).variables().containsEntry(FlowVariables.UPDATE_OUTCOME, "COMPLETED")
                .containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED");
        InOrder order = inOrder(rollout, batches, updates);
        order.verify(batches).markUpdating(eq(UPDATE_ID), anyString(), eq(List.of("db-1")), eq(false));
        order.verify(rollout).concludeCluster(UPDATE_ID, DB);
        order.verify(rollout).announcePatching(UPDATE_ID, PHP);
        order.verify(batches).markUpdating(eq(UPDATE_ID), anyString(), eq(List.of("php-1", "php-2")), eq(false));
        order.verify(rollout).concludeCluster(UPDATE_ID, PHP);
        order.verify(updates).finish(UPDATE_ID, "COMPLETED");
        order.verify(updates).endedOrCancelled(UPDATE_ID);
    }

    @Test
    void aClusterRolledBackRollsBackTheClustersUpdatedBeforeItLastFirst() {
        // given mysql and php updated, lb rolled back by its own flow
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE),
                next(PHP, FlowNames.PHASED_CLUSTER_UPDATE), next(LB, FlowNames.PHASED_CLUSTER_UPDATE),
                new NextCluster(null, null, "ROLLING_BACK", List.of(PHP, DB)));
        when(rollout.decideNextStep(anyString(), anyString())).thenReturn(done());
        when(rollout.concludeCluster(UPDATE_ID, LB)).thenReturn(ClusterOutcome.ROLLING_BACK);
        ProcessInstance update = startUpdate();
        clusterWithNothingToDo(update);
        clusterWithNothingToDo(update);
        execute(job(TAKE_NEXT, update));
        ProcessInstance lb = calledProcessInstance(FlowNames.PHASED_CLUSTER_UPDATE, update);
        execute(job(PhasedClusterUpdateFlowTest.PLAN, lb));
        execute(job(PhasedClusterUpdateFlowTest.DECIDE, lb));
        execute(job("serviceTask_planRollback", calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, lb)));
        assertThat(lb).hasPassed("endEvent_clusterRolledBack").isEnded();

        // when the update concludes that the clusters updated before must go back
        execute(job(TAKE_NEXT, update));

        // then compensation rolls back php first, then mysql, one cluster at a time
        assertThat(update).isWaitingAt("throwEvent_rollBackClusters", ROLL_BACK_CLUSTERS);
        assertThat(rollbackOfCluster()).isEqualTo(PHP);
        execute(job("serviceTask_planRollback", calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, update)));
        assertThat(rollbackOfCluster()).isEqualTo(DB);
        execute(job("serviceTask_planRollback", calledProcessInstance(FlowNames.CLUSTER_ROLLBACK, update)));

        assertThat(update).hasPassedInOrder("endEvent_clustersDone", "exclusiveGateway_updateOutcome",
                        "throwEvent_rollBackClusters", "serviceTask_recordRolledBack", "endEvent_updateRolledBack")
                .hasPassedInOrder("startEvent_rollBackClustersStarted", ROLL_BACK_CLUSTERS, ROLL_BACK_CLUSTERS,
                        "endEvent_clustersRolledBack")
                .hasNotPassed("serviceTask_recordCompleted").isEnded();
        InOrder order = inOrder(rollout, updates);
        order.verify(rollout, times(2)).recordClusterRolledBack(UPDATE_ID, LB); // its rollback, then its flow
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, PHP);
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, DB);
        order.verify(updates).finish(UPDATE_ID, "ROLLING_BACK");
    }

    @Test
    void aFailedClusterEndsTheUpdateWithoutTouchingTheOthers() {
        // given
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE),
                outcome("FAILED"));
        when(rollout.decideNextStep(UPDATE_ID, DB)).thenReturn(done());
        when(rollout.concludeCluster(UPDATE_ID, DB)).thenReturn(ClusterOutcome.FAILED);
        ProcessInstance update = startUpdate();

        // when
        clusterWithNothingToDo(update);
        execute(job(TAKE_NEXT, update));

        // then
        assertThat(update).hasPassedInOrder("exclusiveGateway_updateOutcome", "serviceTask_recordUnfinished",
                "endEvent_updateUnfinished").hasNotPassed("throwEvent_rollBackClusters", ROLL_BACK_CLUSTERS).isEnded();
        verify(updates).finish(UPDATE_ID, "FAILED");
    }

    @Test
    void anUpdateAbortedBetweenClustersEndsAborted() {
        // given
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE),
                outcome("ABORTED"));
        when(rollout.decideNextStep(UPDATE_ID, DB)).thenReturn(done());
        ProcessInstance update = startUpdate();
        clusterWithNothingToDo(update);

        // when
        execute(job(TAKE_NEXT, update));

        // then
        assertThat(update).hasPassed("serviceTask_recordUnfinished", "endEvent_updateUnfinished").isEnded();
        assertThat(update).variables().containsEntry(FlowVariables.UPDATE_OUTCOME, "ABORTED");
        verify(updates).finish(UPDATE_ID, "ABORTED");
    }

    @Test
    void aRejectedUpdateEndsAtOnceWithTheReason() {
        // given another update holds the cluster
        when(updates.prepare(anyMap(), any()))
                .thenReturn(new Prepared(null, "cluster 'php' is being updated by update 'upd-0'"));

        // when started directly, as from engine-rest
        ProcessInstance update = runtimeService().startProcessInstanceByKey(FlowNames.SOFTWARE_UPDATE,
                Map.of(FlowVariables.APPLICATION_ID, "app", "clusters", "php", "version", "2.0.0"));

        // then
        assertThat(update).hasPassedInOrder("serviceTask_prepareUpdate", "boundaryEvent_updateRejected",
                "endEvent_updateRejected").hasNotPassed("subProcess_updateClusters").isEnded();
        assertThat(update).variables().containsEntry(FlowVariables.REJECTION_REASON,
                "cluster 'php' is being updated by update 'upd-0'");
        verify(rollout, never()).nextCluster(anyString());
        verify(updates, never()).finish(anyString(), anyString());
        verify(updates, never()).endedOrCancelled(anyString());
    }

    @Test
    void cancellingTheProcessLetsTheUpdateReleaseItsClusters() {
        // given an update in the middle of a cluster
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE));
        when(rollout.decideNextStep(UPDATE_ID, DB)).thenReturn(batch(1, "db-1"));
        ProcessInstance update = startUpdate();
        execute(job(TAKE_NEXT, update));
        ProcessInstance db = calledProcessInstance(FlowNames.PHASED_CLUSTER_UPDATE, update);
        execute(job(PhasedClusterUpdateFlowTest.PLAN, db));
        execute(job(PhasedClusterUpdateFlowTest.DECIDE, db));
        assertThat(batchFlows.running()).hasSize(1);

        // when an operator cancels the process (Cockpit)
        runtimeService().deleteProcessInstance(update.getId(), "cancelled by an operator");

        // then its flows are gone and the update service records it (releases the clusters)
        assertThat(update).isEnded();
        assertThat(db).isEnded();
        assertThat(batchFlows.running()).isEmpty();
        verify(updates).endedOrCancelled(UPDATE_ID);
        verify(updates, never()).finish(anyString(), anyString());
    }

    @Test
    void anUpdateStartedDirectlyTakesTheRecordedUpdateIdAsBusinessKey() {
        // given
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared("upd-7", null));

        // when started without an update id, as from engine-rest or the Modeler
        ProcessInstance update = runtimeService().startProcessInstanceByKey(FlowNames.SOFTWARE_UPDATE,
                Map.of(FlowVariables.APPLICATION_ID, "app", "clusters", "php", "version", "2.0.0"));

        // then
        assertThat(update).isWaitingAt(TAKE_NEXT).variables().containsEntry(FlowVariables.UPDATE_ID, "upd-7");
        assertThat(processInstanceQuery().processInstanceId(update.getId()).singleResult().getBusinessKey())
                .isEqualTo("upd-7");
    }

    @Test
    void aTechnicalFaultTakingTheNextClusterIsRetriedFiveTimesThenBecomesAnIncident() {
        // given
        when(rollout.nextCluster(UPDATE_ID)).thenThrow(new IllegalStateException("database gone"));
        ProcessInstance update = startUpdate();

        // when every attempt fails
        Job take = job(TAKE_NEXT, update);
        Quietly.run(() -> {
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThatThrownBy(() -> managementService().executeJob(take.getId()))
                        .hasMessageContaining("database gone");
                assertThat(job(TAKE_NEXT, update).getRetries()).isEqualTo(5 - attempt); // R5/PT10S
            }
        });

        // then
        Incident incident = runtimeService().createIncidentQuery().processInstanceId(update.getId()).singleResult();
        assertThat(incident.getActivityId()).isEqualTo(TAKE_NEXT);
        assertThat(update).isWaitingAt(TAKE_NEXT);
        verify(updates, never()).finish(anyString(), anyString());
    }

    // ---- helpers

    private static ProcessInstance startUpdate() {
        return runtimeService().startProcessInstanceByKey(FlowNames.SOFTWARE_UPDATE, UPDATE_ID,
                Map.of(FlowVariables.UPDATE_ID, UPDATE_ID, FlowVariables.APPLICATION_ID, "app"));
    }

    /** Takes the next cluster; its phased flow finds no member left to update and concludes. */
    private static void clusterWithNothingToDo(ProcessInstance update) {
        execute(job(TAKE_NEXT, update));
        ProcessInstance cluster = calledProcessInstance(FlowNames.PHASED_CLUSTER_UPDATE, update);
        execute(job(PhasedClusterUpdateFlowTest.PLAN, cluster));
        execute(job(PhasedClusterUpdateFlowTest.DECIDE, cluster));
        assertThat(cluster).isEnded();
    }

    /** The keys of the cluster flows running now. */
    private static List<String> clusterFlows() {
        return processInstanceQuery().active().list().stream()
                .map(p -> p.getProcessDefinitionId().split(":")[0])
                .filter(key -> key.equals(FlowNames.PHASED_CLUSTER_UPDATE)
                        || key.equals(FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE))
                .toList();
    }

    /** The cluster the one running cluster rollback works on. */
    private static String rollbackOfCluster() {
        ProcessInstance rollback = processInstanceQuery().processDefinitionKey(FlowNames.CLUSTER_ROLLBACK).active()
                .singleResult();
        return (String) runtimeService().getVariable(rollback.getId(), FlowVariables.CLUSTER_ID);
    }

    private static NextCluster next(String clusterId, String flow) {
        return new NextCluster(clusterId, flow, null, List.of());
    }

    private static NextCluster outcome(String outcome) {
        return new NextCluster(null, null, outcome, List.of());
    }
}
