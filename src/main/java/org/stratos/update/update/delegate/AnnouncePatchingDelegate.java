package org.stratos.update.update.delegate;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.RolloutService;

/** Take the cluster down for an incompatible update: state Patching, announced; a container cluster's old members removed. */
@Component
class AnnouncePatchingDelegate implements JavaDelegate {

    private final RolloutService rollout;

    AnnouncePatchingDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        rollout.announcePatching(Vars.updateId(execution), Vars.clusterId(execution));
    }
}
