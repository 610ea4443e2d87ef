package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.UpdateOutcome;
import org.stratos.update.update.UpdateService;

/** Record how the update ended and release its clusters; {@code updateState} is the state recorded. */
@Component
class FinishUpdateDelegate implements JavaDelegate {

    private final UpdateService updates;

    FinishUpdateDelegate(UpdateService updates) {
        this.updates = updates;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(
                FlowVariables.UPDATE_STATE,
                updates.finish(
                                Vars.updateId(execution),
                                UpdateOutcome.fromVariable(Vars.string(execution, FlowVariables.UPDATE_OUTCOME)))
                        .name());
    }
}
