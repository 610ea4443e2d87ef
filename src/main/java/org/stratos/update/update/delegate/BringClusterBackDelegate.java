package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.RolloutService;

/** Bring the cluster back: state Active, announced. */
@Component
class BringClusterBackDelegate implements JavaDelegate {

    private final RolloutService rollout;

    BringClusterBackDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        rollout.bringClusterBack(Vars.updateId(execution), Vars.clusterId(execution));
    }
}
