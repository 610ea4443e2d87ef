package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Count the failures against the cluster's budget (maxFailures). */
@Component
class AssessBatchDelegate implements JavaDelegate {

    private final RolloutService rollout;

    AssessBatchDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(
                FlowVariables.BUDGET_EXCEEDED,
                rollout.budgetExceeded(Vars.updateId(execution), Vars.clusterId(execution)));
    }
}
