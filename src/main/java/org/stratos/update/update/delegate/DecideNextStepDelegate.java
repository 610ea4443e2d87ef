package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Decide the next step of a phased cluster: next batch, approval, pause, stop or done. */
@Component
class DecideNextStepDelegate implements JavaDelegate {

    private final RolloutService rollout;

    DecideNextStepDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        RolloutService.NextStep next = rollout.decideNextStep(Vars.updateId(execution), Vars.clusterId(execution));
        execution.setVariable(FlowVariables.NEXT_STEP, next.step().variableValue());
        execution.setVariable(FlowVariables.BATCH_NUMBER, next.batchNumber());
        execution.setVariable(FlowVariables.BATCH_MEMBERS, FlowLists.json(next.members()));
        execution.setVariable(FlowVariables.BAKE_TIME, next.bakeTime().toString());
    }
}
