package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/**
 * Record how the rollback of the cluster's changed members ended: {@code clusterOutcome} ROLLED_BACK when every one is
 * back on the previous version, ROLLBACK_FAILED otherwise.
 */
@Component
class RecordClusterRollbackDelegate implements JavaDelegate {

    private final RolloutService rollout;

    RecordClusterRollbackDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(
                FlowVariables.CLUSTER_OUTCOME,
                rollout.recordClusterRolledBack(Vars.updateId(execution), Vars.clusterId(execution))
                        .name());
    }
}
