package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Record the operator's approval of the next batch. */
@Component
class RecordApprovalDelegate implements JavaDelegate {

    private final RolloutService rollout;

    RecordApprovalDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        rollout.recordApproval(
                Vars.updateId(execution),
                Vars.clusterId(execution),
                Vars.integer(execution, FlowVariables.BATCH_NUMBER));
    }
}
