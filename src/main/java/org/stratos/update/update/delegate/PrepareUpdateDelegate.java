package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.stratos.update.common.ConflictException;
import org.stratos.update.common.InvalidInputException;
import org.stratos.update.common.NotFoundException;
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
        try {
            String updateId = updates.prepare(execution.getProcessBusinessKey(), execution.getVariables(),
                    execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication() == null ? null
                            : execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication().getUserId());
            execution.setVariable(FlowVariables.UPDATE_ID, updateId);
            if (!updateId.equals(execution.getProcessBusinessKey())) {
                execution.setProcessBusinessKey(updateId);
            }
        } catch (InvalidInputException | ConflictException | NotFoundException rejected) {
            throw new BpmnError(FlowNames.ERROR_UPDATE_REJECTED, rejected.getMessage());
        }
    }
}
