package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;
import org.stratos.update.update.UpdateOutcome;

/**
 * Did every member pass the pre-flight? Sets {@code preflightPassed}; when not, {@code updateOutcome} is
 * {@code PREFLIGHT_FAILED}: the update stops before any member changes.
 */
@Component
class AssessPreflightDelegate implements JavaDelegate {

    private final RolloutService rollout;

    AssessPreflightDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        boolean passed = rollout.preflightPassed(Vars.updateId(execution));
        execution.setVariable(FlowVariables.PREFLIGHT_PASSED, passed);
        if (!passed) {
            execution.setVariable(FlowVariables.UPDATE_OUTCOME, UpdateOutcome.PREFLIGHT_FAILED.variableValue());
        }
    }
}
