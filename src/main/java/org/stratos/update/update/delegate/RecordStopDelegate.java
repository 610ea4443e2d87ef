package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.ApprovalDecision;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.UpdateService;

/** Record the operator's decision at the approval gate to stop the update (with or without rollback). */
@Component
class RecordStopDelegate implements JavaDelegate {

    private final UpdateService updates;

    RecordStopDelegate(UpdateService updates) {
        this.updates = updates;
    }

    @Override
    public void execute(DelegateExecution execution) {
        boolean rollBack = ApprovalDecision.of(execution.getVariable(FlowVariables.APPROVAL_DECISION))
                        .orElseThrow()
                == ApprovalDecision.STOP_AND_ROLL_BACK;
        var user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        updates.stopAtApproval(Vars.updateId(execution), rollBack, user == null ? null : user.getUserId());
    }
}
