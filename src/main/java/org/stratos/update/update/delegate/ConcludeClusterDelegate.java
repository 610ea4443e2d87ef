package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Conclude the cluster: updated, to be rolled back, failed or aborted. */
@Component
class ConcludeClusterDelegate implements JavaDelegate {

    private final RolloutService rollout;

    ConcludeClusterDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(
                FlowVariables.CLUSTER_OUTCOME,
                rollout.concludeCluster(Vars.updateId(execution), Vars.clusterId(execution))
                        .variableValue());
    }
}
