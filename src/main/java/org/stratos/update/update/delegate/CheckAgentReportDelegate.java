package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.MemberFailure;
import org.stratos.update.update.MemberUpdateService;

/** Check the agent's report: a failure it reports is the BPMN error {@code agentReportedFailure}. */
@Component
class CheckAgentReportDelegate implements JavaDelegate {

    private final MemberUpdateService members;

    CheckAgentReportDelegate(MemberUpdateService members) {
        this.members = members;
    }

    @Override
    public void execute(DelegateExecution execution) {
        boolean success = Boolean.TRUE.equals(execution.getVariable(FlowVariables.REPORT_SUCCESS));
        try {
            members.checkReport(Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution), success);
        } catch (MemberFailure failure) {
            throw new BpmnError(failure.code(), failure.getMessage());
        }
    }
}
