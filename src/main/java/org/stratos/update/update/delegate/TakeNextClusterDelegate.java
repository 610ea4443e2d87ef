package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Take the next cluster in startup order, or conclude the update when none is left or one did not end updated. */
@Component
class TakeNextClusterDelegate implements JavaDelegate {

    private final RolloutService rollout;

    TakeNextClusterDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        RolloutService.NextCluster next = rollout.nextCluster(Vars.updateId(execution));
        execution.setVariable(FlowVariables.CLUSTER_ID, next.clusterId());
        execution.setVariable(FlowVariables.CLUSTER_FLOW, next.flow());
        execution.setVariable(
                FlowVariables.UPDATE_OUTCOME,
                next.outcome() == null ? null : next.outcome().variableValue());
        execution.setVariable(FlowVariables.CLUSTERS_TO_ROLL_BACK, FlowLists.json(next.clustersToRollBack()));
    }
}
