package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/**
 * Bring the cluster back from Patching: Active, or Inactive when no member is Active (announced either way);
 * {@code clusterOutcome} is how the cluster's update ended, as recorded.
 */
@Component
class BringClusterBackDelegate implements JavaDelegate {

    private final RolloutService rollout;

    BringClusterBackDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(
                FlowVariables.CLUSTER_OUTCOME,
                rollout.bringClusterBack(Vars.updateId(execution), Vars.clusterId(execution))
                        .name());
    }
}
