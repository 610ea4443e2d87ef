package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Plan the cluster update: batch size, failure budget, healthy floor (all members, for all-at-once). */
@Component
class PlanClusterUpdateDelegate implements JavaDelegate {

    private final RolloutService rollout;

    PlanClusterUpdateDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        List<String> allAtOnce = rollout.planCluster(Vars.updateId(execution), Vars.clusterId(execution));
        execution.setVariable(FlowVariables.BATCH_MEMBERS, FlowLists.json(allAtOnce));
        execution.setVariable(FlowVariables.ROLLBACK, false);
        execution.setVariable(FlowVariables.APPLY_MODE, rollout.applyMode(Vars.clusterId(execution)));
    }
}
