package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.stratos.update.update.AgentReport;
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
        Object exit = execution.getVariable(FlowVariables.REPORT_EXIT_CODE);
        Object duration = execution.getVariable(FlowVariables.REPORT_DURATION);
        AgentReport report = new AgentReport(Boolean.TRUE.equals(execution.getVariable(FlowVariables.REPORT_SUCCESS)),
                exit instanceof Number n ? n.intValue() : null, Vars.string(execution, FlowVariables.REPORT_REASON),
                Vars.string(execution, FlowVariables.REPORT_OUTPUT), duration instanceof Number d ? d.longValue() : 0);
        try {
            members.checkReport(Vars.updateId(execution), Vars.memberId(execution), Vars.rollback(execution), report);
        } catch (MemberFailure failure) {
            throw new BpmnError(failure.code(), failure.getMessage());
        }
    }
}
