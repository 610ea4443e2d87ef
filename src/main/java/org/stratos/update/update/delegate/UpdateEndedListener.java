package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.UpdateService;

/**
 * End listener of {@code softwareUpdate}. A normal end was recorded already; when the process was cancelled (for
 * example in Cockpit) the update is recorded as cancelled, its clusters are released and members still Updating are
 * taken out of service (Suspended), so nothing is left half-way without a trace.
 */
@Component
class UpdateEndedListener implements ExecutionListener {

    private final UpdateService updates;

    UpdateEndedListener(UpdateService updates) {
        this.updates = updates;
    }

    @Override
    public void notify(DelegateExecution execution) {
        Object updateId = execution.getVariable(FlowVariables.UPDATE_ID);
        if (updateId != null) {
            updates.endedOrCancelled(updateId.toString());
        }
    }
}
