package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowNames;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.UpdateService;

/** Check and record the update and hold its clusters; when the process was started directly (engine-rest, Modeler), the request comes from its variables. An invalid request or a held cluster rejects it (BPMN error {@code updateRejected}). */
@Component
class PrepareUpdateDelegate implements JavaDelegate {

    private final UpdateService updates;

    PrepareUpdateDelegate(UpdateService updates) {
        this.updates = updates;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Authentication user =
                execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        UpdateService.Prepared prepared =
                updates.prepare(execution.getVariables(), user == null ? null : user.getUserId());
        if (prepared.rejection() != null) {
            throw new BpmnError(FlowNames.ERROR_UPDATE_REJECTED, prepared.rejection());
        }
        execution.setVariable(FlowVariables.UPDATE_ID, prepared.updateId());
        execution.setVariable(FlowVariables.PREFLIGHT, prepared.preflight() ? "noop" : "none");
        if (!prepared.updateId().equals(execution.getProcessBusinessKey())) {
            execution.setProcessBusinessKey(prepared.updateId());
        }
    }
}
