package org.stratos.update.update.flow;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.jobQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.util.List;

import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;

/**
 * Drives {@code memberUpdate} flows the way members and their agents would, one job at a time: the cluster flow tests
 * use it to play the members of a batch without repeating the member flow's own steps.
 */
final class MemberFlows {

    static final String MARK_UPDATING = "serviceTask_markMemberUpdating";
    static final String SEND_COMMAND = "serviceTask_sendUpdateCommand";
    static final String WAIT_FOR_REPORT = "receiveTask_waitForAgentReport";
    static final String CHECK_REPORT = "serviceTask_checkAgentReport";
    static final String MARK_FAILED = "serviceTask_markMemberFailed";

    /** The flow updating {@code memberId} (or rolling it back). */
    ProcessInstance of(String updateId, String memberId, boolean rollback) {
        ProcessInstance flow = processInstanceQuery().processDefinitionKey(FlowNames.MEMBER_UPDATE)
                .processInstanceBusinessKey(FlowNames.memberBusinessKey(updateId, memberId, rollback)).singleResult();
        if (flow == null) {
            throw new AssertionError("no member flow runs for " + memberId + (rollback ? " (rollback)" : ""));
        }
        return flow;
    }

    /** The business keys of the member flows running now. */
    List<String> running() {
        return processInstanceQuery().processDefinitionKey(FlowNames.MEMBER_UPDATE).active().list().stream()
                .map(ProcessInstance::getBusinessKey).sorted().toList();
    }

    /** The member's agent applies the update and reports success: the member flow ends updated. */
    void agentApplies(String updateId, String memberId) {
        run(updateId, memberId, false, true, null);
    }

    /** The member's agent reports a failure: the member flow ends failed. */
    void agentFails(String updateId, String memberId, String reason) {
        run(updateId, memberId, false, false, reason);
    }

    /** The member's agent rolls the member back to the previous version. */
    void agentRollsBack(String updateId, String memberId) {
        run(updateId, memberId, true, true, null);
    }

    /** The member's agent fails to roll the member back. */
    void agentFailsToRollBack(String updateId, String memberId, String reason) {
        run(updateId, memberId, true, false, reason);
    }

    /** The reason of the last failure an agent reported: what the real service would read from the record. */
    static volatile String lastReportedReason;

    /** The member's agent reports how the command went, as the report listener correlates it. */
    static void agentReports(String businessKey, boolean success, String reason) {
        // the report listener stores the details in the member's record; the mocked service reads them from here
        lastReportedReason = reason;
        runtimeService().createMessageCorrelation(FlowNames.MESSAGE_AGENT_REPORTED)
                .processInstanceBusinessKey(businessKey).setVariable(FlowVariables.REPORT_SUCCESS, success)
                .correlateWithResult();
    }

    /**
     * The calling flow takes the ended member flows back: runs the jobs its multi-instance call activity left (it is
     * async after each member, so one member's end never waits for another's).
     */
    void callerTakesOver(ProcessInstance caller, String callActivityId) {
        List<Job> jobs = jobQuery().processInstanceId(caller.getId()).activityId(callActivityId).list();
        if (jobs.isEmpty()) {
            throw new AssertionError(caller.getProcessDefinitionId() + " has no job at " + callActivityId);
        }
        jobs.forEach(j -> managementService().executeJob(j.getId()));
    }

    private void run(String updateId, String memberId, boolean rollback, boolean success, String reason) {
        ProcessInstance flow = of(updateId, memberId, rollback);
        execute(job(MARK_UPDATING, flow));
        execute(job(SEND_COMMAND, flow));
        assertThat(flow).isWaitingAt(WAIT_FOR_REPORT);
        agentReports(flow.getBusinessKey(), success, reason);
        execute(job(CHECK_REPORT, flow));
        if (!success) {
            execute(job(MARK_FAILED, flow));
        }
        assertThat(flow).isEnded();
    }
}
