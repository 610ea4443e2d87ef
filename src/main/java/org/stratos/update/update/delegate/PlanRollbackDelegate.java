package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Plan the rollback: the batches that changed members, last first. */
@Component
class PlanRollbackDelegate implements JavaDelegate {

    private final RolloutService rollout;

    PlanRollbackDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(
                FlowVariables.ROLLBACK_BATCHES,
                FlowLists.json(rollout.rollbackBatches(Vars.updateId(execution), Vars.clusterId(execution))));
        execution.setVariable(FlowVariables.ROLLBACK, true);
        execution.setVariable(FlowVariables.APPLY_MODE, rollout.applyMode(Vars.clusterId(execution)));
    }
}
