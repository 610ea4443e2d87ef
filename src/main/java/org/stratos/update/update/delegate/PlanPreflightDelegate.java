package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/**
 * Choose the members the pre-flight checks (every member to update on a VM) and set up the batch that checks them:
 * a {@code batchUpdate} of the agents with {@code noop}, which changes no member.
 */
@Component
class PlanPreflightDelegate implements JavaDelegate {

    private final RolloutService rollout;

    PlanPreflightDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(FlowVariables.BATCH_MEMBERS, rollout.planPreflight(Vars.updateId(execution)));
        execution.setVariable(FlowVariables.APPLY_MODE, FlowVariables.APPLY_BY_AGENT);
        execution.setVariable(FlowVariables.ROLLBACK, false);
        execution.setVariable(FlowVariables.NOOP, true);
    }
}
