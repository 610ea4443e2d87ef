package org.stratos.update.update.delegate;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;
import org.stratos.update.update.FlowVariables;
import org.stratos.update.update.RolloutService;

/** Select the members of one batch that the rollback must bring back. */
@Component
class SelectRollbackMembersDelegate implements JavaDelegate {

    private final RolloutService rollout;

    SelectRollbackMembersDelegate(RolloutService rollout) {
        this.rollout = rollout;
    }

    @Override
    public void execute(DelegateExecution execution) {
        List<String> members = rollout.rollbackMembers(
                Vars.updateId(execution),
                Vars.clusterId(execution),
                Vars.integer(execution, FlowVariables.ROLLBACK_BATCH));
        execution.setVariable(FlowVariables.BATCH_MEMBERS, FlowLists.json(members));
    }
}
