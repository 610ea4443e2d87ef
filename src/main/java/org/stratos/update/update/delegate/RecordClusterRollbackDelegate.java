package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.ClusterOutcome;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Record that the cluster's changed members are back on the previous version. */
@Component
class RecordClusterRollbackDelegate implements JavaDelegate {

    private final RolloutService rollout;

    RecordClusterRollbackDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        rollout.recordClusterRolledBack(Vars.updateId(execution), Vars.clusterId(execution));
        execution.setVariable(FlowVariables.CLUSTER_OUTCOME, ClusterOutcome.ROLLED_BACK.name());
    }
}
