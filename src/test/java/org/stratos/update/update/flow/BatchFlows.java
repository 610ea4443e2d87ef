package org.stratos.update.update.flow;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.jobQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.processInstanceQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.delegate.FlowLists;

/**
 * Drives {@code batchUpdate} flows of VM members the way their agents would, one job at a time: the cluster flow tests
 * use it to play a batch without repeating the batch flow's own steps. What each member's agent reports is the
 * business of the (mocked) {@code AgentBatchService}; here a batch is marked, its commands sent, every report comes
 * in and the outcomes are recorded.
 */
final class BatchFlows {

    static final String MARK_UPDATING = "serviceTask_markMembersUpdating";
    static final String SEND_COMMANDS = "serviceTask_sendUpdateCommands";
    static final String WAIT_FOR_REPORTS = "receiveTask_waitForAgentReports";
    static final String RECORD_OUTCOMES = "serviceTask_recordOutcomes";

    /** The batch flow the cluster flow (or rollback) {@code caller} runs now. */
    ProcessInstance of(ProcessInstance caller) {
        ProcessInstance batch = processInstanceQuery()
                .processDefinitionKey(FlowNames.BATCH_UPDATE)
                .superProcessInstanceId(caller.getId())
                .singleResult();
        if (batch == null) {
            throw new AssertionError("no batch flow runs for " + caller.getProcessDefinitionId());
        }
        return batch;
    }

    /** The members of the batch flows running now, as {@code <updateId>/<memberId>[/rollback]}, sorted. */
    List<String> running() {
        List<String> keys = new ArrayList<>();
        for (ProcessInstance batch : processInstanceQuery()
                .processDefinitionKey(FlowNames.BATCH_UPDATE)
                .active()
                .list()) {
            String updateId = (String) runtimeService().getVariable(batch.getId(), FlowVariables.UPDATE_ID);
            boolean rollback = Boolean.TRUE.equals(runtimeService().getVariable(batch.getId(), FlowVariables.ROLLBACK));
            for (Object m :
                    new FlowLists().of(runtimeService().getVariable(batch.getId(), FlowVariables.BATCH_MEMBERS))) {
                keys.add(FlowNames.memberBusinessKey(updateId, m.toString(), rollback));
            }
        }
        return keys.stream().sorted().toList();
    }

    /**
     * The batch {@code caller} runs is applied: its members are marked and sent their commands, every agent reports,
     * the outcomes are recorded; then the caller takes over.
     */
    void batchApplied(ProcessInstance caller, String callActivityId) {
        ProcessInstance batch = of(caller);
        execute(job(MARK_UPDATING, batch));
        execute(job(SEND_COMMANDS, batch));
        assertThat(batch).isWaitingAt(WAIT_FOR_REPORTS);
        everyAgentReported(batch);
        execute(job(RECORD_OUTCOMES, batch));
        assertThat(batch).isEnded();
        callerTakesOver(caller, callActivityId);
    }

    /** The last agent of the batch has reported, as the report listener tells the batch's flow. */
    static void everyAgentReported(ProcessInstance batch) {
        runtimeService()
                .createMessageCorrelation(FlowNames.MESSAGE_AGENTS_REPORTED)
                .processInstanceId(batch.getId())
                .correlateWithResult();
    }

    /** The calling flow takes the ended batch flow back: runs the job its call activity left (it is async after). */
    void callerTakesOver(ProcessInstance caller, String callActivityId) {
        List<Job> jobs = jobQuery()
                .processInstanceId(caller.getId())
                .activityId(callActivityId)
                .list();
        if (jobs.isEmpty()) {
            throw new AssertionError(caller.getProcessDefinitionId() + " has no job at " + callActivityId);
        }
        jobs.forEach(j -> managementService().executeJob(j.getId()));
    }
}
