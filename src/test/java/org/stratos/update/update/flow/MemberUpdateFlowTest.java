package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.jobQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
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
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.MemberFailure;
import org.stratos.update.update.MemberPlan;

/**
 * memberUpdate: one container member replaced by one on the target image (or on the previous one, for a rollback).
 * Members on VMs never run this flow: batchUpdate has their agents update a batch at a time.
 */
@Deployment(resources = "processes/member-update.bpmn")
class MemberUpdateFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.MEMBER_UPDATE);

    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String MARK_UPDATING = "serviceTask_markMemberUpdating";
    static final String RETIRE_FIRST = "serviceTask_retireOldMemberFirst";
    static final String START_REPLACEMENT = "serviceTask_startReplacement";
    static final String WAIT_FOR_READY = "receiveTask_waitForReplacementReady";
    static final String NOT_READY = "boundaryEvent_replacementNotReady";
    static final String STAY_HEALTHY = "timerEvent_stayHealthy";
    static final String VERIFY_HEALTH = "serviceTask_verifyReplacementHealth";
    static final String RETIRE_OLD = "serviceTask_retireOldMember";
    static final String MARK_UPDATED = "serviceTask_markMemberUpdated";
    static final String MARK_FAILED = "serviceTask_markMemberFailed";

    static final String MEMBER = "app.php.domain-m1";
    static final String KEY = FlowNames.memberBusinessKey(UPDATE_ID, MEMBER, false);

    static final MemberPlan REPLACE = new MemberPlan(false, Duration.ofMinutes(2), Duration.ofSeconds(30));
    static final MemberPlan REPLACE_WITH_SURGE = new MemberPlan(true, Duration.ofMinutes(2), Duration.ofSeconds(30));

    @BeforeEach
    void membersAreReplacedWithoutSurgeUnlessATestSaysOtherwise() {
        when(members.markUpdating(anyString(), anyString(), anyBoolean())).thenReturn(REPLACE);
    }

    @Test
    void withoutSurgeTheOldMemberGoesFirstThenTheReplacementMustStayReady() {
        // given
        ProcessInstance flow = startMemberUpdate(false);
        assertThat(flow).isWaitingAt(MARK_UPDATING);

        // when
        execute(job(MARK_UPDATING, flow));
        execute(job(RETIRE_FIRST, flow));
        execute(job(START_REPLACEMENT, flow));
        assertThat(flow).isWaitingAt(WAIT_FOR_READY);
        replacementIs(KEY, FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
        assertThat(flow).isWaitingAt(STAY_HEALTHY);
        assertThat(jobQuery()
                        .processInstanceId(flow.getId())
                        .activityId(NOT_READY)
                        .count())
                .as("a ready replacement is not held to the health time-out any more")
                .isZero();
        execute(job(STAY_HEALTHY, flow));

        // then
        assertThat(flow)
                .hasPassedInOrder(
                        "startEvent_memberUpdateRequested",
                        MARK_UPDATING,
                        "exclusiveGateway_surge",
                        RETIRE_FIRST,
                        "exclusiveGateway_replacementCanStart",
                        START_REPLACEMENT,
                        WAIT_FOR_READY,
                        STAY_HEALTHY,
                        VERIFY_HEALTH,
                        "exclusiveGateway_oldMemberRunning",
                        "exclusiveGateway_replaced",
                        MARK_UPDATED,
                        "endEvent_memberUpdated")
                .hasNotPassed(RETIRE_OLD, "exclusiveGateway_failed", MARK_FAILED)
                .isEnded();
        assertThat(flow)
                .variables()
                .containsEntry(FlowVariables.SURGE, false)
                .containsEntry(FlowVariables.ROLLBACK, false);
        InOrder steps = inOrder(members);
        steps.verify(members).markUpdating(UPDATE_ID, MEMBER, false);
        steps.verify(members).retireCurrent(UPDATE_ID, MEMBER, false);
        steps.verify(members).startReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).verifyReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).markUpdated(UPDATE_ID, MEMBER, false);
        verify(members, times(1)).retireCurrent(anyString(), anyString(), anyBoolean());
        verify(members, never()).markFailed(anyString(), anyString(), anyBoolean(), anyString(), anyString());
        verifyNoInteractions(batches);
    }

    @Test
    void withSurgeTheReplacementStartsFirstAndTheOldMemberGoesOnceItIsHealthy() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE_WITH_SURGE);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));

        // when
        assertThat(flow).isWaitingAt(START_REPLACEMENT);
        execute(job(START_REPLACEMENT, flow));
        replacementIs(KEY, FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
        execute(job(STAY_HEALTHY, flow));
        assertThat(flow).isWaitingAt(RETIRE_OLD);
        execute(job(RETIRE_OLD, flow));

        // then
        assertThat(flow)
                .hasPassedInOrder(
                        "exclusiveGateway_surge",
                        "exclusiveGateway_replacementCanStart",
                        START_REPLACEMENT,
                        VERIFY_HEALTH,
                        "exclusiveGateway_oldMemberRunning",
                        RETIRE_OLD,
                        "exclusiveGateway_replaced",
                        MARK_UPDATED,
                        "endEvent_memberUpdated")
                .hasNotPassed(RETIRE_FIRST)
                .isEnded();
        assertThat(flow).variables().containsEntry(FlowVariables.SURGE, true);
        InOrder steps = inOrder(members);
        steps.verify(members).startReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).verifyReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).retireCurrent(UPDATE_ID, MEMBER, false);
        steps.verify(members).markUpdated(UPDATE_ID, MEMBER, false);
    }

    @Test
    void aRollbackReplacesTheMemberByOneOnThePreviousImage() {
        // given
        String rollbackKey = FlowNames.memberBusinessKey(UPDATE_ID, MEMBER, true);
        ProcessInstance flow = startMemberUpdate(true);
        assertThat(flow).hasBusinessKey(rollbackKey);

        // when
        replaced(flow);

        // then every step is told it rolls back
        assertThat(flow).hasPassed("endEvent_memberUpdated").isEnded();
        InOrder steps = inOrder(members);
        steps.verify(members).markUpdating(UPDATE_ID, MEMBER, true);
        steps.verify(members).retireCurrent(UPDATE_ID, MEMBER, true);
        steps.verify(members).startReplacement(UPDATE_ID, MEMBER, true);
        steps.verify(members).verifyReplacement(UPDATE_ID, MEMBER, true);
        steps.verify(members).markUpdated(UPDATE_ID, MEMBER, true);
        verify(members, never()).markUpdating(anyString(), anyString(), eq(false));
    }

    @Test
    void theTimersComeFromTheMembersPlan() {
        // given
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now));
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        assertThat(flow)
                .variables()
                .containsEntry(FlowVariables.HEALTH_TIMEOUT, "PT2M")
                .containsEntry(FlowVariables.MIN_HEALTHY_TIME, "PT30S");
        execute(job(RETIRE_FIRST, flow));

        // when the replacement starts
        execute(job(START_REPLACEMENT, flow));

        // then it has healthTimeout to get ready
        assertThat(job(NOT_READY, flow).getDuedate()).isEqualTo(Date.from(now.plus(REPLACE.healthTimeout())));

        // when it is ready a little later
        Instant ready = now.plusSeconds(40);
        ClockUtil.setCurrentTime(Date.from(ready));
        replacementIs(KEY, FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());

        // then it must stay ready for minHealthyTime from then on
        assertThat(job(STAY_HEALTHY, flow).getDuedate()).isEqualTo(Date.from(ready.plus(REPLACE.minHealthyTime())));
    }

    @Test
    void aReplacementNotReadyInTimeFailsTheMember() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE_WITH_SURGE);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(START_REPLACEMENT, flow));

        // when the health time-out passes
        execute(job(NOT_READY, flow));

        // then
        assertThat(flow)
                .isWaitingAt(MARK_FAILED)
                .variables()
                .containsEntry(FlowVariables.FAILURE_CAUSE, "replacementNotReady");
        execute(job(MARK_FAILED, flow));
        assertThat(flow)
                .hasPassedInOrder(
                        WAIT_FOR_READY, NOT_READY, "exclusiveGateway_failed", MARK_FAILED, "endEvent_memberFailed")
                .hasNotPassed(STAY_HEALTHY, MARK_UPDATED)
                .isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "replacementNotReady", null);
        verify(members, never()).markUpdated(anyString(), anyString(), anyBoolean());
    }

    @Test
    void aReplacementTheRuntimeGaveUpOnFailsTheMember() {
        // given
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(RETIRE_FIRST, flow));
        execute(job(START_REPLACEMENT, flow));

        // when
        replacementIs(
                KEY, FlowNames.MESSAGE_REPLACEMENT_FAILED, Map.of(FlowVariables.FAILURE_REASON, "image pull failed"));

        // then
        assertThat(flow)
                .isWaitingAt(MARK_FAILED)
                .variables()
                .containsEntry(FlowVariables.FAILURE_CAUSE, "replacementFailed");
        execute(job(MARK_FAILED, flow));
        assertThat(flow)
                .hasPassedInOrder(
                        "boundaryEvent_replacementFailed",
                        "exclusiveGateway_failed",
                        MARK_FAILED,
                        "endEvent_memberFailed")
                .hasNotPassed(STAY_HEALTHY, MARK_UPDATED)
                .isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "replacementFailed", "image pull failed");
    }

    @Test
    void aReplacementThatDoesNotStayReadyFailsTheMember() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE_WITH_SURGE);
        doThrow(new MemberFailure(FlowNames.ERROR_MEMBER_UNHEALTHY, "replacement m9 did not stay ready"))
                .when(members)
                .verifyReplacement(UPDATE_ID, MEMBER, false);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(START_REPLACEMENT, flow));
        replacementIs(KEY, FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());

        // when minHealthyTime is over and the replacement is not ready any more
        execute(job(STAY_HEALTHY, flow));

        // then the old member (surge: still running) is not retired
        assertThat(flow)
                .isWaitingAt(MARK_FAILED)
                .variables()
                .containsEntry(FlowVariables.FAILURE_CAUSE, "replacementUnhealthy");
        execute(job(MARK_FAILED, flow));
        assertThat(flow)
                .hasPassedInOrder(
                        VERIFY_HEALTH,
                        "boundaryEvent_replacementUnhealthy",
                        "exclusiveGateway_failed",
                        MARK_FAILED,
                        "endEvent_memberFailed")
                .hasNotPassed(RETIRE_OLD, MARK_UPDATED)
                .isEnded();
        verify(members)
                .markFailed(UPDATE_ID, MEMBER, false, "replacementUnhealthy", "replacement m9 did not stay ready");
        verify(members, never()).retireCurrent(anyString(), anyString(), anyBoolean());
    }

    @Test
    void aTechnicalFaultIsRetriedFiveTimesThenBecomesAnIncidentAnOperatorCanRetry() {
        // given the container runtime cannot be reached
        doThrow(new IllegalStateException("runtime unreachable"))
                .when(members)
                .startReplacement(UPDATE_ID, MEMBER, false);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(RETIRE_FIRST, flow));

        // when the start step fails on every attempt (R5/PT10S)
        Job start = job(START_REPLACEMENT, flow);
        Quietly.run(() -> {
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThatThrownBy(() -> managementService().executeJob(start.getId()))
                        .hasMessageContaining("runtime unreachable");
                assertThat(job(START_REPLACEMENT, flow).getRetries()).isEqualTo(5 - attempt);
            }
        });

        // then it is an incident at the step; no business failure path was taken
        Incident incident = runtimeService()
                .createIncidentQuery()
                .processInstanceId(flow.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo(START_REPLACEMENT);
        assertThat(incident.getIncidentMessage())
                .contains("runtime unreachable")
                .contains("member " + MEMBER);
        assertThat(flow).isWaitingAt(START_REPLACEMENT).hasNotPassed("exclusiveGateway_failed");
        verify(members, times(5)).startReplacement(UPDATE_ID, MEMBER, false);
        verify(members, never()).markFailed(anyString(), anyString(), anyBoolean(), anyString(), anyString());

        // when the runtime is back and an operator retries the job (as in Cockpit)
        doNothing().when(members).startReplacement(UPDATE_ID, MEMBER, false);
        managementService().setJobRetries(start.getId(), 1);
        execute(job(START_REPLACEMENT, flow));

        // then the flow goes on and the incident is resolved
        assertThat(flow).isWaitingAt(WAIT_FOR_READY);
        assertThat(runtimeService()
                        .createIncidentQuery()
                        .processInstanceId(flow.getId())
                        .count())
                .isZero();
    }

    // ---- helpers (batchUpdate's tests play container members with them too)

    private static ProcessInstance startMemberUpdate(boolean rollback) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(FlowVariables.UPDATE_ID, UPDATE_ID);
        variables.put(FlowVariables.CLUSTER_ID, CLUSTER_ID);
        variables.put(FlowVariables.MEMBER_ID, MEMBER);
        variables.put(FlowVariables.ROLLBACK, rollback);
        return runtimeService()
                .startProcessInstanceByKey(
                        FlowNames.MEMBER_UPDATE, FlowNames.memberBusinessKey(UPDATE_ID, MEMBER, rollback), variables);
    }

    /**
     * The member flow {@code flow} replaces its member without surge (the plan {@link #REPLACE}): the old member goes,
     * the replacement starts, gets ready and stays ready; the flow ends with the member updated.
     */
    static void replaced(ProcessInstance flow) {
        execute(job(MARK_UPDATING, flow));
        execute(job(RETIRE_FIRST, flow));
        execute(job(START_REPLACEMENT, flow));
        replacementIs(flow.getBusinessKey(), FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
        execute(job(STAY_HEALTHY, flow));
        assertThat(flow).hasPassed("endEvent_memberUpdated").isEnded();
    }

    /** What the runtime reports about the replacement, as the member report handler correlates it. */
    static void replacementIs(String businessKey, String message, Map<String, Object> variables) {
        runtimeService()
                .createMessageCorrelation(message)
                .processInstanceBusinessKey(businessKey)
                .setVariables(variables)
                .correlateWithResult();
    }
}
