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
import static org.mockito.Mockito.verifyNoInteractions;
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
import org.stratos.update.update.RunPhase;
import org.stratos.update.update.UpdateOutcome;
import org.stratos.update.update.UpdateService.Prepared;
import org.stratos.update.update.UpdateState;

/** softwareUpdate: one update of an application, its clusters one after another in startup order. */
@Deployment(
        resources = {
            "processes/software-update.bpmn",
            "processes/phased-cluster-update.bpmn",
            "processes/all-at-once-cluster-update.bpmn",
            "processes/batch-update.bpmn",
            "processes/member-update.bpmn",
            "processes/cluster-rollback.bpmn"
        })
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
    static final String PLAN_PREFLIGHT = "serviceTask_planPreflight";
    static final String RUN_PREFLIGHT = "callActivity_runPreflight";
    static final String DB = "app.mysql.domain";
    static final String PHP = "app.php.domain";
    static final String LB = "app.lb.domain";

    @BeforeEach
    void theUpdateIsRecorded() {
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared(UPDATE_ID, null, false));
    }

    @Test
    void updatesTheClustersOneAfterAnotherInTheOrderTakeNextClusterGives() {
        // given mysql (compatible: phased) before php (incompatible: all at once)
        when(rollout.nextCluster(UPDATE_ID))
                .thenReturn(
                        next(DB, FlowNames.PHASED_CLUSTER_UPDATE),
                        next(PHP, FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE),
                        outcome(UpdateOutcome.COMPLETED));
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
        assertThat(update)
                .hasPassedInOrder(
                        "serviceTask_prepareUpdate",
                        TAKE_NEXT,
                        "exclusiveGateway_clusterLeft",
                        UPDATE_CLUSTER,
                        TAKE_NEXT,
                        UPDATE_CLUSTER,
                        TAKE_NEXT,
                        "endEvent_clustersDone",
                        "exclusiveGateway_updateOutcome",
                        "serviceTask_recordCompleted",
                        "endEvent_updateCompleted")
                .hasNotPassed("throwEvent_rollBackClusters", ROLL_BACK_CLUSTERS)
                .isEnded();
        assertThat(update)
                .variables()
                .containsEntry(FlowVariables.UPDATE_OUTCOME, "COMPLETED")
                .containsEntry(FlowVariables.CLUSTER_OUTCOME, "UPDATED");
        InOrder order = inOrder(rollout, batches, updates);
        order.verify(batches).markUpdating(eq(UPDATE_ID), anyString(), eq(List.of("db-1")), eq(RunPhase.UPDATE));
        order.verify(rollout).concludeCluster(UPDATE_ID, DB);
        order.verify(rollout).announcePatching(UPDATE_ID, PHP);
        order.verify(batches)
                .markUpdating(eq(UPDATE_ID), anyString(), eq(List.of("php-1", "php-2")), eq(RunPhase.UPDATE));
        order.verify(rollout).concludeCluster(UPDATE_ID, PHP);
        order.verify(updates).finish(UPDATE_ID, UpdateOutcome.COMPLETED);
        order.verify(updates).endedOrCancelled(UPDATE_ID);
    }

    @Test
    void aClusterRolledBackRollsBackTheClustersUpdatedBeforeItLastFirst() {
        // given mysql and php updated, lb rolled back by its own flow
        when(rollout.nextCluster(UPDATE_ID))
                .thenReturn(
                        next(DB, FlowNames.PHASED_CLUSTER_UPDATE),
                        next(PHP, FlowNames.PHASED_CLUSTER_UPDATE),
                        next(LB, FlowNames.PHASED_CLUSTER_UPDATE),
                        new NextCluster(null, null, UpdateOutcome.ROLLING_BACK, List.of(PHP, DB)));
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

        assertThat(update)
                .hasPassedInOrder(
                        "endEvent_clustersDone",
                        "exclusiveGateway_updateOutcome",
                        "throwEvent_rollBackClusters",
                        "serviceTask_recordRolledBack",
                        "endEvent_updateRolledBack")
                .hasPassedInOrder(
                        "startEvent_rollBackClustersStarted",
                        ROLL_BACK_CLUSTERS,
                        ROLL_BACK_CLUSTERS,
                        "endEvent_clustersRolledBack")
                .hasNotPassed("serviceTask_recordCompleted")
                .isEnded();
        InOrder order = inOrder(rollout, updates);
        order.verify(rollout, times(2)).recordClusterRolledBack(UPDATE_ID, LB); // its rollback, then its flow
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, PHP);
        order.verify(rollout).recordClusterRolledBack(UPDATE_ID, DB);
        order.verify(updates).finish(UPDATE_ID, UpdateOutcome.ROLLING_BACK);
    }

    @Test
    void aFailedClusterEndsTheUpdateWithoutTouchingTheOthers() {
        // given
        when(rollout.nextCluster(UPDATE_ID))
                .thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE), outcome(UpdateOutcome.FAILED));
        when(rollout.decideNextStep(UPDATE_ID, DB)).thenReturn(done());
        when(rollout.concludeCluster(UPDATE_ID, DB)).thenReturn(ClusterOutcome.FAILED);
        ProcessInstance update = startUpdate();

        // when
        clusterWithNothingToDo(update);
        execute(job(TAKE_NEXT, update));

        // then
        assertThat(update)
                .hasPassedInOrder(
                        "exclusiveGateway_updateOutcome", "serviceTask_recordUnfinished", "endEvent_updateUnfinished")
                .hasNotPassed("throwEvent_rollBackClusters", ROLL_BACK_CLUSTERS)
                .isEnded();
        verify(updates).finish(UPDATE_ID, UpdateOutcome.FAILED);
    }

    @Test
    void anUpdateAbortedBetweenClustersEndsAborted() {
        // given
        when(rollout.nextCluster(UPDATE_ID))
                .thenReturn(next(DB, FlowNames.PHASED_CLUSTER_UPDATE), outcome(UpdateOutcome.ABORTED));
        when(rollout.decideNextStep(UPDATE_ID, DB)).thenReturn(done());
        ProcessInstance update = startUpdate();
        clusterWithNothingToDo(update);

        // when
        execute(job(TAKE_NEXT, update));

        // then
        assertThat(update)
                .hasPassed("serviceTask_recordUnfinished", "endEvent_updateUnfinished")
                .isEnded();
        assertThat(update).variables().containsEntry(FlowVariables.UPDATE_OUTCOME, "ABORTED");
        verify(updates).finish(UPDATE_ID, UpdateOutcome.ABORTED);
    }

    @Test
    void aPreflightThatPassesOnEveryMemberLetsTheClustersStart() {
        // given an update with preflight noop: two members on VMs to check
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared(UPDATE_ID, null, true));
        when(rollout.planPreflight(UPDATE_ID)).thenReturn(List.of("db-1", "php-1"));
        when(rollout.preflightPassed(UPDATE_ID)).thenReturn(true);
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(outcome(UpdateOutcome.COMPLETED));
        ProcessInstance update = startUpdate();
        assertThat(update).isWaitingAt(PLAN_PREFLIGHT).hasNotPassed(TAKE_NEXT);

        // when the members are chosen and checked by a batch of no-op runs
        execute(job(PLAN_PREFLIGHT, update));
        assertThat(batchFlows.running())
                .containsExactly(
                        FlowNames.memberBusinessKey(UPDATE_ID, "db-1", false),
                        FlowNames.memberBusinessKey(UPDATE_ID, "php-1", false));
        String check = batchFlows.of(update).getId();
        batchFlows.batchApplied(update, RUN_PREFLIGHT);

        // then the clusters start
        assertThat(update).isWaitingAt(TAKE_NEXT);
        execute(job(TAKE_NEXT, update));
        assertThat(update)
                .hasPassedInOrder(
                        "serviceTask_prepareUpdate",
                        "exclusiveGateway_preflight",
                        PLAN_PREFLIGHT,
                        "exclusiveGateway_membersToCheck",
                        RUN_PREFLIGHT,
                        "serviceTask_assessPreflight",
                        "exclusiveGateway_preflightPassed",
                        "exclusiveGateway_startClusters",
                        TAKE_NEXT,
                        "serviceTask_recordCompleted",
                        "endEvent_updateCompleted")
                .hasNotPassed("endEvent_preflightFailed")
                .isEnded();
        assertThat(update)
                .variables()
                .containsEntry(FlowVariables.PREFLIGHT, "noop")
                .containsEntry(FlowVariables.PREFLIGHT_PASSED, true)
                .containsEntry(FlowVariables.UPDATE_STATE, "COMPLETED");
        InOrder order = inOrder(batches, rollout);
        order.verify(batches).markUpdating(UPDATE_ID, check, List.of("db-1", "php-1"), RunPhase.PREFLIGHT);
        order.verify(batches).sendCommands(UPDATE_ID, check, RunPhase.PREFLIGHT);
        order.verify(batches).complete(UPDATE_ID, check, RunPhase.PREFLIGHT);
        order.verify(rollout).preflightPassed(UPDATE_ID);
        order.verify(rollout).nextCluster(UPDATE_ID);
    }

    @Test
    void aPreflightThatFailsOnAMemberStopsTheUpdateBeforeAnyClusterStarts() {
        // given
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared(UPDATE_ID, null, true));
        when(rollout.planPreflight(UPDATE_ID)).thenReturn(List.of("php-1", "php-2"));
        when(rollout.preflightPassed(UPDATE_ID)).thenReturn(false);
        ProcessInstance update = startUpdate();
        execute(job(PLAN_PREFLIGHT, update));

        // when php-2's no-op run fails (the batch service records it)
        batchFlows.batchApplied(update, RUN_PREFLIGHT);

        // then
        assertThat(update)
                .hasPassedInOrder(
                        RUN_PREFLIGHT,
                        "serviceTask_assessPreflight",
                        "exclusiveGateway_preflightPassed",
                        "serviceTask_recordPreflightFailed",
                        "endEvent_preflightFailed")
                .hasNotPassed("exclusiveGateway_startClusters", "subProcess_updateClusters")
                .isEnded();
        assertThat(update)
                .variables()
                .containsEntry(FlowVariables.PREFLIGHT_PASSED, false)
                .containsEntry(FlowVariables.UPDATE_OUTCOME, "PREFLIGHT_FAILED")
                .containsEntry(FlowVariables.UPDATE_STATE, "PREFLIGHT_FAILED");
        verify(rollout, never()).nextCluster(anyString());
        verify(updates).finish(UPDATE_ID, UpdateOutcome.PREFLIGHT_FAILED);
    }

    @Test
    void aPreflightWithNoMemberToCheckGoesStraightToTheClusters() {
        // given every member already runs the version (or only container clusters have members to update)
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared(UPDATE_ID, null, true));
        when(rollout.planPreflight(UPDATE_ID)).thenReturn(List.of());
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(outcome(UpdateOutcome.COMPLETED));
        ProcessInstance update = startUpdate();

        // when
        execute(job(PLAN_PREFLIGHT, update));

        // then
        assertThat(update)
                .isWaitingAt(TAKE_NEXT)
                .hasPassed("exclusiveGateway_membersToCheck")
                .hasNotPassed(RUN_PREFLIGHT);
        verifyNoInteractions(batches);
    }

    @Test
    void anUpdateWithMembersNotOnTheNewVersionEndsCompletedWithFailures() {
        // given every cluster went through, one member failed within maxFailures: finish records it so
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(outcome(UpdateOutcome.COMPLETED));
        when(updates.finish(UPDATE_ID, UpdateOutcome.COMPLETED)).thenReturn(UpdateState.COMPLETED_WITH_FAILURES);
        ProcessInstance update = startUpdate();

        // when
        execute(job(TAKE_NEXT, update));

        // then
        assertThat(update)
                .hasPassedInOrder(
                        "serviceTask_recordCompleted",
                        "exclusiveGateway_everyMemberUpdated",
                        "endEvent_updateCompletedWithFailures")
                .hasNotPassed("endEvent_updateCompleted")
                .isEnded();
        assertThat(update).variables().containsEntry(FlowVariables.UPDATE_STATE, "COMPLETED_WITH_FAILURES");
    }

    @Test
    void aClusterWhoseRollbackLeftMembersNotBackEndsTheUpdateRollbackFailed() {
        // given the only cluster rolled back, but not every member came back: finish records ROLLBACK_FAILED
        when(rollout.nextCluster(UPDATE_ID)).thenReturn(outcome(UpdateOutcome.ROLLED_BACK));
        when(updates.finish(UPDATE_ID, UpdateOutcome.ROLLED_BACK)).thenReturn(UpdateState.ROLLBACK_FAILED);
        ProcessInstance update = startUpdate();

        // when
        execute(job(TAKE_NEXT, update));

        // then no compensation is needed (no cluster was updated before), and the end says the rollback failed
        assertThat(update)
                .hasPassedInOrder(
                        "exclusiveGateway_updateOutcome",
                        "serviceTask_recordRolledBack",
                        "exclusiveGateway_everyMemberBack",
                        "endEvent_updateRollbackFailed")
                .hasNotPassed(
                        "throwEvent_rollBackClusters", "endEvent_updateRolledBack", "serviceTask_recordUnfinished")
                .isEnded();
        assertThat(update).variables().containsEntry(FlowVariables.UPDATE_STATE, "ROLLBACK_FAILED");
    }

    @Test
    void aRejectedUpdateEndsAtOnceWithTheReason() {
        // given another update holds the cluster
        when(updates.prepare(anyMap(), any()))
                .thenReturn(new Prepared(null, "cluster 'php' is being updated by update 'upd-0'", false));

        // when started directly, as from engine-rest
        ProcessInstance update = runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.SOFTWARE_UPDATE,
                        Map.of(FlowVariables.APPLICATION_ID, "app", "clusters", "php", "version", "2.0.0"));

        // then
        assertThat(update)
                .hasPassedInOrder(
                        "serviceTask_prepareUpdate", "boundaryEvent_updateRejected", "endEvent_updateRejected")
                .hasNotPassed("subProcess_updateClusters")
                .isEnded();
        assertThat(update)
                .variables()
                .containsEntry(FlowVariables.REJECTION_REASON, "cluster 'php' is being updated by update 'upd-0'");
        verify(rollout, never()).nextCluster(anyString());
        verify(updates, never()).finish(anyString(), any());
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
        verify(updates, never()).finish(anyString(), any());
    }

    @Test
    void anUpdateStartedDirectlyTakesTheRecordedUpdateIdAsBusinessKey() {
        // given
        when(updates.prepare(anyMap(), any())).thenReturn(new Prepared("upd-7", null, false));

        // when started without an update id, as from engine-rest or the Modeler
        ProcessInstance update = runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.SOFTWARE_UPDATE,
                        Map.of(FlowVariables.APPLICATION_ID, "app", "clusters", "php", "version", "2.0.0"));

        // then
        assertThat(update).isWaitingAt(TAKE_NEXT).variables().containsEntry(FlowVariables.UPDATE_ID, "upd-7");
        assertThat(processInstanceQuery()
                        .processInstanceId(update.getId())
                        .singleResult()
                        .getBusinessKey())
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
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(update.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo(TAKE_NEXT);
        assertThat(update).isWaitingAt(TAKE_NEXT);
        verify(updates, never()).finish(anyString(), any());
    }

    // ---- helpers

    private static ProcessInstance startUpdate() {
        return runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.SOFTWARE_UPDATE,
                        UPDATE_ID,
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
                .filter(key ->
                        key.equals(FlowNames.PHASED_CLUSTER_UPDATE) || key.equals(FlowNames.ALL_AT_ONCE_CLUSTER_UPDATE))
                .toList();
    }

    /** The cluster the one running cluster rollback works on. */
    private static String rollbackOfCluster() {
        ProcessInstance rollback = processInstanceQuery()
                .processDefinitionKey(FlowNames.CLUSTER_ROLLBACK)
                .active()
                .singleResult();
        return (String) runtimeService().getVariable(rollback.getId(), FlowVariables.CLUSTER_ID);
    }

    private static NextCluster next(String clusterId, String flow) {
        return new NextCluster(clusterId, flow, null, List.of());
    }

    private static NextCluster outcome(UpdateOutcome outcome) {
        return new NextCluster(null, null, outcome, List.of());
    }
}
