package org.stratos.update.update.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.stratos.update.update.flow.MemberFlows.CHECK_REPORT;
import static org.stratos.update.update.flow.MemberFlows.MARK_FAILED;
import static org.stratos.update.update.flow.MemberFlows.MARK_UPDATING;
import static org.stratos.update.update.flow.MemberFlows.SEND_COMMAND;
import static org.stratos.update.update.flow.MemberFlows.WAIT_FOR_REPORT;

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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.MemberFailure;
import org.stratos.update.update.MemberPlan;

/** memberUpdate: one member to the target version, by its agent or by a replacement container. */
@Deployment(resources = "processes/member-update.bpmn")
class MemberUpdateFlowTest extends FlowTest {

    @RegisterExtension
    @Order(1)
    static final CoverageFloor coverage = new CoverageFloor(FlowNames.MEMBER_UPDATE);
    @RegisterExtension
    @Order(2)
    static final ProcessEngineCoverageExtension engine = FlowEngine.withCoverage();

    static final String MEMBER = "app.php.domain-m1";
    static final String KEY = FlowNames.memberBusinessKey(UPDATE_ID, MEMBER, false);

    static final MemberPlan REPLACE = new MemberPlan(true, false, Duration.ofMinutes(10), Duration.ofMinutes(2),
            Duration.ofSeconds(30), Duration.ofMinutes(1));
    static final MemberPlan REPLACE_WITH_SURGE = new MemberPlan(true, true, Duration.ofMinutes(10),
            Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(1));

    // ---- by the agent (VMs)

    @Test
    void theAgentAppliesTheUpdateAndTheMemberEndsActiveOnTheNewVersion() {
        // given
        ProcessInstance flow = startMemberUpdate(false);
        assertThat(flow).isWaitingAt(MARK_UPDATING);

        // when
        execute(job(MARK_UPDATING, flow));
        execute(job(SEND_COMMAND, flow));
        assertThat(flow).isWaitingAt(WAIT_FOR_REPORT);
        MemberFlows.agentReports(KEY, true, null);
        execute(job(CHECK_REPORT, flow));

        // then
        assertThat(flow).hasPassedInOrder(MARK_UPDATING, "exclusiveGateway_howApplied", SEND_COMMAND,
                        WAIT_FOR_REPORT, CHECK_REPORT, "exclusiveGateway_applied", "serviceTask_markMemberUpdated",
                        "endEvent_memberUpdated")
                .hasNotPassed("exclusiveGateway_surge", "serviceTask_resendUpdateCommand", MARK_FAILED)
                .isEnded();
        assertThat(flow).variables().containsEntry(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_AGENT)
                .containsEntry(FlowVariables.ROLLBACK, false).containsEntry(FlowVariables.REPORT_SUCCESS, true);
        InOrder steps = inOrder(members);
        steps.verify(members).markUpdating(UPDATE_ID, MEMBER, false);
        steps.verify(members).sendCommand(UPDATE_ID, MEMBER, false);
        steps.verify(members).checkReport(UPDATE_ID, MEMBER, false, true);
        steps.verify(members).markUpdated(UPDATE_ID, MEMBER, false);
        verify(members, never()).markFailed(anyString(), anyString(), anyBoolean(), anyString(), anyString());
    }

    @Test
    void aRollbackTakesTheSameStepsTowardsThePreviousVersion() {
        // given
        ProcessInstance flow = startMemberUpdate(true);

        // when
        execute(job(MARK_UPDATING, flow));
        execute(job(SEND_COMMAND, flow));
        MemberFlows.agentReports(FlowNames.memberBusinessKey(UPDATE_ID, MEMBER, true), true, null);
        execute(job(CHECK_REPORT, flow));

        // then
        assertThat(flow).hasPassed("endEvent_memberUpdated").isEnded();
        verify(members).markUpdating(UPDATE_ID, MEMBER, true);
        verify(members).sendCommand(UPDATE_ID, MEMBER, true);
        verify(members).markUpdated(UPDATE_ID, MEMBER, true);
    }

    @Test
    void anAgentReportingFailureTakesTheMemberOutOfService() {
        // given
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(SEND_COMMAND, flow));

        // when
        MemberFlows.agentReports(KEY, false, "puppet exited with 4");
        execute(job(CHECK_REPORT, flow));

        // then
        assertThat(flow).isWaitingAt(MARK_FAILED)
                .variables().containsEntry(FlowVariables.FAILURE_CAUSE, "agentReportedFailure")
                .containsEntry(FlowVariables.FAILURE_REASON, "puppet exited with 4");
        execute(job(MARK_FAILED, flow));
        assertThat(flow).hasPassedInOrder(CHECK_REPORT, "boundaryEvent_agentReportedFailure",
                        "exclusiveGateway_failed", MARK_FAILED, "endEvent_memberFailed")
                .hasNotPassed("serviceTask_markMemberUpdated").isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "agentReportedFailure", "puppet exited with 4");
        verify(members, never()).markUpdated(anyString(), anyString(), anyBoolean());
    }

    @Test
    void noReportInTimeFailsTheMember() {
        // given
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(SEND_COMMAND, flow));

        // when the apply time-out passes without a report
        execute(job("boundaryEvent_noAgentReport", flow));

        // then
        assertThat(flow).isWaitingAt(MARK_FAILED)
                .variables().containsEntry(FlowVariables.FAILURE_CAUSE, "noAgentReport");
        execute(job(MARK_FAILED, flow));
        assertThat(flow).hasPassedInOrder(WAIT_FOR_REPORT, "boundaryEvent_noAgentReport", "exclusiveGateway_failed",
                MARK_FAILED, "endEvent_memberFailed").hasNotPassed(CHECK_REPORT).isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "noAgentReport", null);
    }

    @Test
    void theAgentTimersComeFromTheMembersPlan() {
        // given
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now));
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));

        // when
        execute(job(SEND_COMMAND, flow));

        // then
        assertThat(job("boundaryEvent_noAgentReport", flow).getDuedate())
                .isEqualTo(Date.from(now.plus(BY_AGENT.applyTimeout())));
        assertThat(job("boundaryEvent_resendCommand", flow).getDuedate())
                .isEqualTo(Date.from(now.plus(BY_AGENT.resendInterval())));
    }

    @Test
    void stillNoReportResendsTheCommandAndKeepsWaiting() {
        // given
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job(SEND_COMMAND, flow));

        // when the resend interval passes twice
        execute(job("boundaryEvent_resendCommand", flow));
        execute(job("boundaryEvent_resendCommand", flow));

        // then the command went out three times and the flow still waits, its time-out unchanged
        verify(members, times(3)).sendCommand(UPDATE_ID, MEMBER, false);
        assertThat(flow).hasPassed("boundaryEvent_resendCommand", "serviceTask_resendUpdateCommand",
                "endEvent_commandResent").isWaitingAt(WAIT_FOR_REPORT);
        assertThat(job("boundaryEvent_noAgentReport", flow)).isNotNull();

        // and a late report is still taken
        MemberFlows.agentReports(KEY, true, null);
        execute(job(CHECK_REPORT, flow));
        assertThat(flow).hasPassed("endEvent_memberUpdated").isEnded();
    }

    @Test
    void aTechnicalFaultIsRetriedFiveTimesThenBecomesAnIncidentAnOperatorCanRetry() {
        // given the broker cannot be reached
        doThrow(new IllegalStateException("broker unreachable")).when(members)
                .sendCommand(UPDATE_ID, MEMBER, false);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));

        // when the send step fails on every attempt (R5/PT10S)
        Job send = job(SEND_COMMAND, flow);
        Quietly.run(() -> {
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThatThrownBy(() -> managementService().executeJob(send.getId()))
                        .hasMessageContaining("broker unreachable");
                assertThat(job(SEND_COMMAND, flow).getRetries()).isEqualTo(5 - attempt);
            }
        });

        // then it is an incident at the step; no business failure path was taken
        Incident incident = runtimeService().createIncidentQuery().processInstanceId(flow.getId()).singleResult();
        assertThat(incident.getActivityId()).isEqualTo(SEND_COMMAND);
        assertThat(incident.getIncidentMessage()).contains("broker unreachable");
        assertThat(flow).isWaitingAt(SEND_COMMAND).hasNotPassed("exclusiveGateway_failed");
        verify(members, never()).markFailed(anyString(), anyString(), anyBoolean(), anyString(), anyString());

        // when the broker is back and an operator retries the job (as in Cockpit)
        doNothing().when(members).sendCommand(UPDATE_ID, MEMBER, false);
        managementService().setJobRetries(send.getId(), 1);
        execute(job(SEND_COMMAND, flow));

        // then the flow goes on and the incident is resolved
        assertThat(flow).isWaitingAt(WAIT_FOR_REPORT);
        assertThat(runtimeService().createIncidentQuery().processInstanceId(flow.getId()).count()).isZero();
    }

    // ---- by replacement (containers)

    @Test
    void withoutSurgeTheOldMemberGoesFirstThenTheReplacementMustStayReady() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));

        // when
        execute(job("serviceTask_retireOldMemberFirst", flow));
        execute(job("serviceTask_startReplacement", flow));
        assertThat(flow).isWaitingAt("receiveTask_waitForReplacementReady");
        replacementIs(FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
        assertThat(flow).isWaitingAt("timerEvent_stayHealthy");
        execute(job("timerEvent_stayHealthy", flow));

        // then
        assertThat(flow).hasPassedInOrder(MARK_UPDATING, "exclusiveGateway_surge",
                        "serviceTask_retireOldMemberFirst", "exclusiveGateway_replacementCanStart",
                        "serviceTask_startReplacement", "receiveTask_waitForReplacementReady", "timerEvent_stayHealthy",
                        "serviceTask_verifyReplacementHealth", "exclusiveGateway_oldMemberRunning",
                        "exclusiveGateway_replaced", "exclusiveGateway_applied", "serviceTask_markMemberUpdated",
                        "endEvent_memberUpdated")
                .hasNotPassed(SEND_COMMAND, "serviceTask_retireOldMember").isEnded();
        assertThat(flow).variables().containsEntry(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_REPLACEMENT)
                .containsEntry(FlowVariables.SURGE, false);
        InOrder steps = inOrder(members);
        steps.verify(members).retireCurrent(UPDATE_ID, MEMBER, false);
        steps.verify(members).startReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).verifyReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).markUpdated(UPDATE_ID, MEMBER, false);
    }

    @Test
    void withSurgeTheReplacementStartsFirstAndTheOldMemberGoesOnceItIsHealthy() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE_WITH_SURGE);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));

        // when
        execute(job("serviceTask_startReplacement", flow));
        replacementIs(FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());
        execute(job("timerEvent_stayHealthy", flow));
        execute(job("serviceTask_retireOldMember", flow));

        // then
        assertThat(flow).hasPassedInOrder("exclusiveGateway_surge", "exclusiveGateway_replacementCanStart",
                        "serviceTask_startReplacement", "serviceTask_verifyReplacementHealth",
                        "exclusiveGateway_oldMemberRunning", "serviceTask_retireOldMember", "exclusiveGateway_replaced",
                        "serviceTask_markMemberUpdated", "endEvent_memberUpdated")
                .hasNotPassed("serviceTask_retireOldMemberFirst").isEnded();
        InOrder steps = inOrder(members);
        steps.verify(members).startReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).verifyReplacement(UPDATE_ID, MEMBER, false);
        steps.verify(members).retireCurrent(UPDATE_ID, MEMBER, false);
        steps.verify(members).markUpdated(UPDATE_ID, MEMBER, false);
    }

    @Test
    void aReplacementNotReadyInTimeFailsTheMember() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE_WITH_SURGE);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job("serviceTask_startReplacement", flow));

        // when the health time-out passes
        execute(job("boundaryEvent_replacementNotReady", flow));
        execute(job(MARK_FAILED, flow));

        // then
        assertThat(flow).hasPassedInOrder("receiveTask_waitForReplacementReady", "boundaryEvent_replacementNotReady",
                "exclusiveGateway_failed", MARK_FAILED, "endEvent_memberFailed")
                .hasNotPassed("timerEvent_stayHealthy", "serviceTask_markMemberUpdated").isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "replacementNotReady", null);
    }

    @Test
    void aReplacementTheRuntimeGaveUpOnFailsTheMember() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job("serviceTask_retireOldMemberFirst", flow));
        execute(job("serviceTask_startReplacement", flow));

        // when
        replacementIs(FlowNames.MESSAGE_REPLACEMENT_FAILED, Map.of(FlowVariables.FAILURE_REASON, "image pull failed"));
        execute(job(MARK_FAILED, flow));

        // then
        assertThat(flow).hasPassedInOrder("boundaryEvent_replacementFailed", "exclusiveGateway_failed", MARK_FAILED,
                "endEvent_memberFailed").hasNotPassed("timerEvent_stayHealthy").isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "replacementFailed", "image pull failed");
    }

    @Test
    void aReplacementThatDoesNotStayReadyFailsTheMember() {
        // given
        when(members.markUpdating(UPDATE_ID, MEMBER, false)).thenReturn(REPLACE_WITH_SURGE);
        doThrow(new MemberFailure(FlowNames.ERROR_MEMBER_UNHEALTHY, "replacement m9 did not stay ready"))
                .when(members).verifyReplacement(UPDATE_ID, MEMBER, false);
        ProcessInstance flow = startMemberUpdate(false);
        execute(job(MARK_UPDATING, flow));
        execute(job("serviceTask_startReplacement", flow));
        replacementIs(FlowNames.MESSAGE_REPLACEMENT_READY, Map.of());

        // when minHealthyTime is over and the replacement is not ready any more
        execute(job("timerEvent_stayHealthy", flow));
        execute(job(MARK_FAILED, flow));

        // then the old member (surge: still running) is not retired
        assertThat(flow).hasPassedInOrder("serviceTask_verifyReplacementHealth", "boundaryEvent_replacementUnhealthy",
                        "exclusiveGateway_failed", MARK_FAILED, "endEvent_memberFailed")
                .hasNotPassed("serviceTask_retireOldMember", "serviceTask_markMemberUpdated").isEnded();
        verify(members).markFailed(UPDATE_ID, MEMBER, false, "replacementUnhealthy",
                "replacement m9 did not stay ready");
        verify(members, never()).retireCurrent(anyString(), anyString(), anyBoolean());
    }

    private static ProcessInstance startMemberUpdate(boolean rollback) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(FlowVariables.UPDATE_ID, UPDATE_ID);
        variables.put(FlowVariables.CLUSTER_ID, CLUSTER_ID);
        variables.put(FlowVariables.MEMBER_ID, MEMBER);
        variables.put(FlowVariables.ROLLBACK, rollback);
        return runtimeService().startProcessInstanceByKey(FlowNames.MEMBER_UPDATE,
                FlowNames.memberBusinessKey(UPDATE_ID, MEMBER, rollback), variables);
    }

    /** What the runtime reports about the replacement, as the member report handler correlates it. */
    private static void replacementIs(String message, Map<String, Object> variables) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(KEY).setVariables(variables)
                .correlateWithResult();
    }
}
